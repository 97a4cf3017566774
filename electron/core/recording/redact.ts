// Redaction for shareable cassettes, and a last-line guard against secrets.
// A redacted cassette keeps only what the end user would have seen (filtered text, hits by position,
// token timing and sizes); it must never keep raw token text or bytes, raw.text events, or free-text
// details that may quote raw text.
import type { SessionEvent } from '../../../shared/events';
import type { CassetteEvent, CassetteTokenEvent } from './cassette-schema';

export interface RedactOptions {
  /** Applied to the user's input (e.g. the environment's filter policy); identity when absent. */
  filterInput?: (input: string) => string;
}

/** The redacted form of an event, or null when the event must not be kept at all. */
export function redactEvent(ev: SessionEvent | CassetteEvent, opts: RedactOptions = {}): CassetteEvent | null {
  switch (ev.type) {
    case 'raw.text':
      return null;
    case 'token': {
      const { text, bytes, ...rest } = ev as CassetteTokenEvent;
      const out: CassetteTokenEvent = { ...rest };
      if (text !== undefined) out.textLength = text.length;
      if (bytes !== undefined) out.byteLength = Buffer.from(bytes, 'base64').length;
      return out;
    }
    case 'turn.start': {
      if (!opts.filterInput) return ev;
      const input = opts.filterInput(ev.input);
      return input === ev.input ? ev : { ...ev, input, inputRedacted: true };
    }
    case 'frame.issue': {
      // Details (and the kept offending output) may quote the frame; keep only what the structured fields say.
      const { raw: _raw, rawTruncated: _cut, ...rest } = ev;
      return { ...rest, detail: describeIssue(ev) };
    }
    case 'message.end': {
      const { closingText: _text, ...rest } = ev;
      return rest;
    }
    case 'output.structured': {
      // Rich content quotes what the bot said (button titles, card text): keep its shape, not its words.
      const { json: _json, ...rest } = ev;
      return { ...rest, summary: `${ev.kind} at ${ev.path} (${ev.bytes} bytes, redacted)` };
    }
    case 'filter.leak':
      return { ...ev, detail: `streamed output differs from whole-text output at ${ev.position} (detail redacted)` };
    default:
      return ev;
  }
}

function describeIssue(ev: Extract<SessionEvent, { type: 'frame.issue' }>): string {
  const parts: string[] = [ev.kind];
  if (ev.seq !== undefined) parts.push(`seq ${ev.seq}`);
  if (ev.expectedSeq !== undefined) parts.push(`expected seq ${ev.expectedSeq}`);
  if (ev.position !== undefined) parts.push(`at ${ev.position}`);
  return `${parts.join(', ')} (detail redacted)`;
}

export const SECRET_PLACEHOLDER = '[secret removed]';

/**
 * Removes known secret values (client secret, API key, URL token, access tokens) from a serialized line.
 * Events never carry them by contract; this guard makes a broken contract visible instead of writing
 * the secret to a file. Values shorter than 6 characters are ignored (they would match ordinary text).
 */
export function createSecretGuard(values: Iterable<string | undefined>): { scrub(line: string): { line: string; removed: number } } {
  const needles = new Set<string>();
  for (const v of values) {
    if (!v || v.length < 6) continue;
    needles.add(v);
    needles.add(JSON.stringify(v).slice(1, -1));
  }
  const list = [...needles].sort((a, b) => b.length - a.length);
  return {
    scrub(line) {
      let removed = 0;
      for (const n of list) {
        if (!line.includes(n)) continue;
        const parts = line.split(n);
        removed += parts.length - 1;
        line = parts.join(SECRET_PLACEHOLDER);
      }
      return { line, removed };
    },
  };
}
