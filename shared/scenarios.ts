// The simulator's scenarios, shared so the CLI, the renderer's Scenario select and the simulator agree.
import { z } from 'zod';

export const SCENARIOS = [
  'happy',
  'pii',
  'emoji-split',
  'binary-utf8',
  'rate-limit',
  'stall',
  'drop',
  'revoked',
  'server-error',
  'duplicate-seq',
  'seq-gap',
  'malformed-frame',
  'no-usage',
  // Socket endpoint only (the gateway plays `happy` for these): what real Cognigy sends beside answer text.
  'closing-text',
  'empty-first-chunk',
  'rich-content',
  'control-command',
  'handover',
  'typing',
  'reconnect',
  'flow-usage',
  'malformed-outputs',
  'output-flood',
] as const;
export const ScenarioName = z.enum(SCENARIOS);
export type ScenarioName = z.infer<typeof ScenarioName>;

/** Readable names for pickers. */
export const SCENARIO_LABELS: Record<ScenarioName, string> = {
  happy: 'Happy path (markdown list)',
  pii: 'PII split across tokens (card, e-mail, IBAN, phone)',
  'emoji-split': 'Emoji split across tokens (surrogate pairs)',
  'binary-utf8': 'Binary frames splitting UTF-8 characters',
  'rate-limit': 'Rate limit (429) then success',
  stall: 'Stall (no frames: timeout)',
  drop: 'Dropped connection mid-stream (1006)',
  revoked: 'Token revoked mid-stream (1008)',
  'server-error': 'Server error (1011)',
  'duplicate-seq': 'Duplicate frames (same seq)',
  'seq-gap': 'Missing frame (seq gap)',
  'malformed-frame': 'Malformed frame',
  'no-usage': 'No usage reported (estimated)',
  'closing-text': 'Socket: last words on the closing chunk',
  'empty-first-chunk': 'Socket: first chunk empty',
  'rich-content': 'Socket: quick replies and a gallery between text chunks',
  'control-command': 'Socket: a control command (setRating)',
  'handover': 'Socket: live agent after a handover',
  typing: 'Socket: typing on/off around the answer',
  reconnect: 'Socket: server disconnect mid-stream, then reconnect',
  'flow-usage': 'Socket: the flow outputs its stored usage',
  'malformed-outputs': 'Socket: malformed outputs mid-stream',
  'output-flood': 'Socket: a flood of 10,000 outputs',
};
