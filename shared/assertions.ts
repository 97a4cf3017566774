// The assertion format: what a QA engineer asks of a turn beyond "answers as recorded", in a recording's
// sidecar `<cassette>.assert.json` and per turn in a dialog script. Shared so the app's editor validates
// as the user types with exactly the rules the CLI applies; evaluating is electron/core/recording's job.
// A document is either fully valid or refused with every problem named by its JSON path
// (`turns[1].assert[0].max`): an assertion that is not understood is never skipped silently.
import { z } from 'zod';
import { FILTER_ACTIONS, STRUCTURED_OUTPUT_KINDS, TURN_STATUSES, WEBCHAT_WARNING_KINDS } from './events';
import { regexErrorReason, type PolicyIssue } from './policy';
import { zodIssues } from './policy-schema';
import { jsonErrorLocation } from './json-location';

/** Which text a text assertion reads: what the end user got (filtered, the default) or what the model sent. */
export const TextTarget = z.enum(['filtered', 'raw']);
export type TextTarget = z.infer<typeof TextTarget>;

const on = TextTarget.optional();
const ms = z.number().nonnegative('must be 0 or more (milliseconds)');
const count = z.number().int('must be a whole number').nonnegative('must be 0 or more');
const nonEmpty = z.string().min(1, 'must not be empty');

/** A range with at least one bound, min ≤ max. */
function range<T extends z.ZodRawShape>(shape: T, value: z.ZodNumber) {
  return z
    .strictObject({ ...shape, min: value.optional(), max: value.optional() })
    .superRefine((a, ctx) => {
      const r = a as { min?: number; max?: number };
      if (r.min === undefined && r.max === undefined) ctx.addIssue({ code: 'custom', path: ['max'], message: 'give min, max or both' });
      else if (r.min !== undefined && r.max !== undefined && r.min > r.max) ctx.addIssue({ code: 'custom', path: ['min'], message: `min ${r.min} is above max ${r.max}` });
    });
}

const RegexAssertion = z
  .strictObject({
    kind: z.literal('regex'),
    pattern: nonEmpty,
    flags: z.string().regex(/^[imsu]*$/, 'flags may only use i, m, s, u').optional(),
    on,
  })
  .superRefine((a, ctx) => {
    try {
      regexOf(a);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `invalid regular expression: ${regexErrorReason(err)}` });
    }
  });

/** Every assertion kind, by family. Adding one here makes the evaluator's registry fail to compile until it has its check. */
export const Assertion = z.discriminatedUnion('kind', [
  // text
  z.strictObject({ kind: z.literal('contains'), text: nonEmpty, ignoreCase: z.boolean().optional(), on }),
  z.strictObject({ kind: z.literal('notContains'), text: nonEmpty, ignoreCase: z.boolean().optional(), on }),
  RegexAssertion,
  /** Similar to `to`, or (without `to`) to the recording's answer, by the replay's similarity ratio. */
  z.strictObject({ kind: z.literal('similarity'), min: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'), to: z.string().optional(), on }),
  // safety
  /** No detection of `type` (e.g. CREDIT_CARD) in the answer; with `actions`, only detections handled so count (["off"]: released as is). */
  z.strictObject({ kind: z.literal('noHit'), type: nonEmpty, actions: z.array(z.enum(FILTER_ACTIONS)).min(1, 'name at least one action').optional() }),
  z.strictObject({ kind: z.literal('noLeak') }),
  /** No Webchat warning (of this kind); fails when the turn had no Webchat preview to judge. */
  z.strictObject({ kind: z.literal('noWebchatWarning'), warning: z.enum(WEBCHAT_WARNING_KINDS).optional() }),
  // stream
  z.strictObject({ kind: z.literal('ttft'), max: ms }),
  z.strictObject({ kind: z.literal('maxGap'), max: ms }),
  z.strictObject({ kind: z.literal('tokensPerSecond'), min: z.number().positive('must be above 0') }),
  /** Streamed messages (distinct `_messageId`s; a gateway answer is one message). */
  range({ kind: z.literal('messages') }, count),
  /** Chunks (tokens as they arrived: socket outputs, gateway token frames). */
  range({ kind: z.literal('chunks') }, count),
  /** A structured output (of `type`, whose one-line summary contains `summary`, e.g. "quick replies") is present, or absent. */
  z.strictObject({ kind: z.literal('structured'), present: z.boolean(), type: z.enum(STRUCTURED_OUTPUT_KINDS).optional(), summary: nonEmpty.optional() }),
  // outcome
  z.strictObject({ kind: z.literal('status'), is: z.union([z.enum(TURN_STATUSES), z.array(z.enum(TURN_STATUSES)).min(1)]).optional() }),
  z.strictObject({ kind: z.literal('synced') }),
  /** Token usage within a range: the counted figure (reported when present, else estimated), or one source. */
  range({ kind: z.literal('usage'), source: z.enum(['counted', 'reported', 'estimated']).optional(), part: z.enum(['total', 'prompt', 'completion']).optional() }, count),
]);
export type Assertion = z.infer<typeof Assertion>;
export type AssertionKind = Assertion['kind'];
export type AssertionOf<K extends AssertionKind> = Extract<Assertion, { kind: K }>;

export const ASSERTION_FAMILIES = {
  text: ['contains', 'notContains', 'regex', 'similarity'],
  safety: ['noHit', 'noLeak', 'noWebchatWarning'],
  stream: ['ttft', 'maxGap', 'tokensPerSecond', 'messages', 'chunks', 'structured'],
  outcome: ['status', 'synced', 'usage'],
} as const satisfies Record<string, readonly AssertionKind[]>;

/** One turn's entry: its assertions, and optionally the input it is meant for (checked against the cassette). */
export const TurnAssertionEntry = z.strictObject({
  input: z.string().optional(),
  assert: z.array(Assertion).optional(),
});
export type TurnAssertionEntry = z.infer<typeof TurnAssertionEntry>;

/** `<cassette>.assert.json`: `all` for every turn, `turns[i]` for turn i + 1 (in dialog order). */
export const AssertionFile = z.strictObject({
  $schema: z.string().optional(),
  all: z.array(Assertion).optional(),
  turns: z.array(TurnAssertionEntry).optional(),
});

/** What to write instead, where a document has the right key in the wrong shape (e.g. the earlier object form). */
const SHAPE_HINTS: Record<string, string> = {
  all: 'expected a list of assertions, e.g. [{"kind": "contains", "text": "…"}]',
  turns: 'expected a list with one entry per turn in dialog order, e.g. [{}, {"assert": [{"kind": "ttft", "max": 2000}]}]',
};
export type AssertionFile = z.infer<typeof AssertionFile>;

export type AssertionIssue = PolicyIssue & {
  /** 1-based line and column in the text, when known (JSON syntax errors). */
  line?: number;
  column?: number;
};

export type AssertionValidation = { ok: true; file: AssertionFile; errors: [] } | { ok: false; errors: AssertionIssue[] };

/** The RegExp of a regex assertion (`u` always on: patterns match by code point). */
export function regexOf(a: { pattern: string; flags?: string | undefined }): RegExp {
  const flags = a.flags ?? '';
  return new RegExp(a.pattern, flags.includes('u') ? flags : `${flags}u`);
}

/** Validates a parsed document. Every problem, by JSON path; the values are never quoted back. */
export function checkAssertionFile(json: unknown): AssertionValidation {
  const parsed = AssertionFile.safeParse(json);
  if (parsed.success) return { ok: true, file: parsed.data, errors: [] };
  const errors = zodIssues(parsed.error).map((i) => (SHAPE_HINTS[i.path] && i.message.startsWith('expected array') ? { ...i, message: SHAPE_HINTS[i.path]! } : i));
  return { ok: false, errors };
}

/** For the editor, as the user types: the text parsed and validated, errors with their path (and line where known). */
export function validateAssertions(text: string): AssertionValidation {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const at = jsonErrorLocation(text, err);
    return { ok: false, errors: [{ path: '(root)', message: `invalid JSON${at ? ` at line ${at.line}, column ${at.column}` : ''}`, ...(at ? { line: at.line, column: at.column } : {}) }] };
  }
  return checkAssertionFile(json);
}

/** One line per problem, `path: message`, as the CLI prints them after the file name. */
export function formatAssertionIssues(issues: readonly AssertionIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
