// The fast check of event batches must decide exactly as zod's parse of the whole payload: the same
// verdict, the same data, the same error text. Generated payloads: valid token / raw.text / filtered.text
// (token+raw) events and other kinds, then one field of one event (or of the envelope) replaced by an awkward value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../shared/session-batch';
import { describeZodError, pushChannels } from '../../shared/ipc';
import { createIpcClient, type IpcTransport } from '../../shared/ipc-client';
import { checkSessionEvents } from '../../shared/session-events-check';

const schema = pushChannels['main:session.events'];
const nat = fc.integer({ min: 0, max: 1_000_000 });
const at = fc.double({ min: 0, max: 1e7, noNaN: true });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Drops the keys whose value is undefined half of the time (absent and undefined are both "not set"). */
const record = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) =>
  fc.tuple(fc.record(shape), fc.boolean()).map(([o, keepUndefined]) => (keepUndefined ? o : Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))));

const origin = record({
  frame: nat,
  seq: opt(nat),
  messageId: opt(fc.string()),
  kind: fc.constantFrom('text', 'binary'),
  source: opt(fc.constantFrom('bot', 'agent')),
  traceId: opt(fc.string()),
  disableSensitiveLogging: opt(fc.boolean()),
});
const token = record({ type: fc.constant('token'), turnId: fc.string(), at, index: nat, text: opt(fc.string()), bytes: opt(fc.base64String()), origin });
const tokenRaw = record({ type: fc.constant('token+raw'), turnId: fc.string(), at, index: nat, text: opt(fc.string()), bytes: opt(fc.base64String()), origin, rawStart: nat });
const rawText = record({
  type: fc.constant('raw.text'),
  turnId: fc.string(),
  at,
  start: nat,
  text: fc.string(),
  token: nat,
  joined: opt(fc.constantFrom('surrogate', 'utf8-split')),
  joinedFrom: opt(nat),
  byteStart: opt(nat),
  byteEnd: opt(nat),
  separator: opt(fc.constant(true)),
});
const hit = record({ type: fc.constantFrom('EMAIL_ADDRESS', 'PHONE_NUMBER'), action: fc.constantFrom('mask', 'partial', 'hash', 'block', 'off'), rawStart: nat, rawEnd: nat, outStart: nat, outEnd: nat });
const filteredText = record({
  type: fc.constant('filtered.text'),
  turnId: fc.string(),
  at,
  start: nat,
  text: fc.string(),
  hits: fc.array(hit, { maxLength: 3 }),
  holdback: nat,
  holdbackReason: fc.array(fc.string(), { maxLength: 2 }),
});
const turnEnd = record({ type: fc.constant('turn.end'), turnId: fc.string(), at, status: fc.constantFrom('complete', 'partial'), rawLength: nat, durationMs: at, tokenCount: nat });
const event = fc.oneof({ arbitrary: token, weight: 3 }, { arbitrary: tokenRaw, weight: 3 }, { arbitrary: rawText, weight: 3 }, { arbitrary: filteredText, weight: 2 }, { arbitrary: turnEnd, weight: 1 });

/** Values a field should never hold, or holds only in some places. */
const awkward = fc.constantFrom<unknown>(undefined, null, -1, -0, 0, 1.5, Number.NaN, Infinity, 2 ** 53, '', 'text', true, {}, [], ['x'], 'mask', 'binary', 'surrogate', { frame: 0, kind: 'text' });

/** Every path to a value inside `v` (keys of objects, indices of arrays), the root excluded. */
function paths(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof v !== 'object' || v === null) return [];
  const out: Array<Array<string | number>> = [];
  for (const [k, child] of Object.entries(v)) {
    const p = [...prefix, Array.isArray(v) ? Number(k) : k];
    out.push(p, ...paths(child, p));
  }
  return out;
}
function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]!] = value;
  return copy;
}

const payload = fc.record({ sessionId: fc.constantFrom('s1', ''), batch: fc.oneof(nat, fc.constant(-1)), events: fc.array(event, { maxLength: 6 }) });
/** A payload, then maybe one value inside it replaced, or an unknown key added somewhere. */
const damaged = fc.tuple(payload, fc.nat(), awkward, fc.constantFrom('replace', 'extra-key', 'none')).map(([p, pick, value, how]): unknown => {
  if (how === 'none') return p;
  const all = paths(p);
  if (how === 'extra-key') {
    const objects = [[], ...all].filter((q) => { let o: unknown = p; for (const k of q) o = (o as Record<string | number, unknown>)[k]; return typeof o === 'object' && o !== null && !Array.isArray(o); });
    return setAt(p, [...objects[pick % objects.length]!, 'unexpected'], value);
  }
  return all.length ? setAt(p, all[pick % all.length]!, value) : p;
});

describe('checking event batches', () => {
  it('decides as zod does: same verdict, same data, same error text', () => {
    fc.assert(
      fc.property(damaged, (p) => {
        const want = schema.safeParse(p);
        const got = checkSessionEvents(schema, p);
        expect(got.success).toBe(want.success);
        if (want.success && got.success) expect(got.data).toStrictEqual(want.data);
        if (!want.success && !got.success) expect(describeZodError(got.error)).toBe(describeZodError(want.error));
      }),
      { numRuns: 3000 },
    );
  });

  it('passes a valid batch through as it came (no copy); one with a key zod strips is zod\'s copy', () => {
    const tok = { type: 'token', turnId: 't', at: 1, index: 0, text: 'a', origin: { frame: 0, kind: 'text' } };
    const raw = { type: 'raw.text', turnId: 't', at: 1, start: 0, text: 'a', token: 0 };
    const end = { type: 'turn.end', turnId: 't', at: 2, status: 'complete', rawLength: 1, durationMs: 2, tokenCount: 1 };
    const payload = { sessionId: 's', batch: 0, events: [tok, raw, end] };
    const r = checkSessionEvents(schema, payload);
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data).toBe(payload);
    const extra = { ...end, stray: 1 };
    const events = [tok, raw, extra];
    const s = checkSessionEvents(schema, { sessionId: 's', batch: 0, events });
    expect(s.success).toBe(true);
    if (!s.success) return;
    expect(s.data.events).toEqual([tok, raw, end]);
    expect(s.data.events[2]).not.toBe(extra);
    expect(events[2]).toBe(extra); // the input array is left as given
  });

  it('a batch with one malformed token is dropped whole and reported with its path, through the IPC client', () => {
    let deliver: (p: unknown) => void = () => undefined;
    const transport: IpcTransport = { request: () => Promise.resolve(undefined), subscribe: (_c, d) => ((deliver = d), () => undefined) };
    const dropped: string[] = [];
    const got: BatchEvent[][] = [];
    createIpcClient(transport, { onDroppedPush: (l) => dropped.push(l) }).on('main:session.events', (p) => got.push(p.events));
    const ok = { type: 'token', turnId: 't', at: 1, index: 0, text: 'a', origin: { frame: 0, kind: 'text' } };
    deliver({ sessionId: 's', batch: 0, events: [ok, { ...ok, index: 1.5 }] });
    deliver({ sessionId: 's', batch: 1, events: [ok] });
    expect(dropped).toEqual(['main:session.events: dropped a push that does not match the contract: events.1.index: Invalid input: expected int, received number']);
    expect(got).toEqual([[ok]]);
  });
});
