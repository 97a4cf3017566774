// Server-Sent Events framing per the HTML specification (§9.2 "Server-sent events"). The payload is always
// JSON on a single `data:` line: JSON.stringify escapes LF and CR, and U+2028/U+2029 are escaped too for
// naive line splitters, so no token text can end a field, end an event or forge one. Field values that are
// not JSON (id, event name, comments) are checked instead of escaped: they come from us, never from tokens.

export interface SseMessage {
  /** Becomes the client's last event ID; must not contain LF, CR or NUL. */
  id?: string;
  /** Event type; must not contain LF, CR or ':' at the start. */
  event?: string;
  /** Serialized as JSON on one line. */
  data: unknown;
}

const LINE_BREAK = /[\r\n]/;

/** JSON that is guaranteed to be one line. */
export function sseJson(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  const safe = json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  // JSON.stringify never emits a raw CR or LF (they are escaped inside strings); keep the invariant explicit.
  if (LINE_BREAK.test(safe)) throw new Error('internal: serialized SSE data contains a line break');
  return safe;
}

function checkField(name: string, value: string): void {
  if (LINE_BREAK.test(value) || value.includes('\u0000')) throw new Error(`SSE ${name} must not contain CR, LF or NUL: ${JSON.stringify(value)}`);
}

export function encodeSse(msg: SseMessage): string {
  let out = '';
  if (msg.id !== undefined) {
    checkField('id', msg.id);
    out += `id: ${msg.id}\n`;
  }
  if (msg.event !== undefined) {
    checkField('event', msg.event);
    out += `event: ${msg.event}\n`;
  }
  out += `data: ${sseJson(msg.data)}\n\n`;
  return out;
}

/** A comment line (ignored by clients; keeps proxies and idle timers from closing the connection). */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** The reconnection time the client should use, in ms. */
export function sseRetry(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`SSE retry must be an integer ≥ 0, got ${ms}`);
  return `retry: ${ms}\n\n`;
}
