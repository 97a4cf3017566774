// Builders for token events and checks shared by the reassembly tests.
import { expect } from 'vitest';
import type { TokenEvent } from '../../../shared/events';
import { createReassembler, type RawDelta, type ReassemblerOptions, type ReassemblyIssue } from '../../../electron/core/reassembly/reassembler';

export interface TokSpec {
  text?: string;
  bytes?: Uint8Array | number[];
  messageId?: string;
  seq?: number;
  frame?: number;
  at?: number;
}

/** A token event as the upstream clients produce it (frame = index unless given). */
export function tok(index: number, spec: TokSpec): TokenEvent {
  const ev: TokenEvent = {
    type: 'token',
    turnId: 'turn-1',
    at: spec.at ?? index,
    index,
    origin: { frame: spec.frame ?? index, kind: spec.bytes ? 'binary' : 'text' },
  };
  if (spec.text !== undefined) ev.text = spec.text;
  if (spec.bytes) ev.bytes = Buffer.from(spec.bytes).toString('base64');
  if (spec.messageId !== undefined) ev.origin.messageId = spec.messageId;
  if (spec.seq !== undefined) ev.origin.seq = spec.seq;
  return ev;
}

/** Feeds the specs, ends the turn, returns the reassembler plus everything its callbacks received. */
export function run(specs: TokSpec[], opts: Omit<ReassemblerOptions, 'onText' | 'onIssue'> = {}) {
  const deltas: RawDelta[] = [];
  const reported: ReassemblyIssue[] = [];
  const r = createReassembler({ ...opts, onText: (d) => deltas.push(d), onIssue: (i) => reported.push(i) });
  specs.forEach((s, i) => r.feed(tok(i, s)));
  r.end(1_000);
  return { r, deltas, reported, text: r.text() };
}

export interface Piece {
  start: number;
  end: number;
  token: number;
  joined?: RawDelta['joined'];
  joinedFrom?: number;
  byteStart?: number;
  byteEnd?: number;
  separator?: true;
}

/**
 * The deltas as one piece per run of a token's own text: a delta that continues the previous one (same
 * token, nothing joined, not a separator, bytes contiguous) is merged into it — e.g. a U+FFFD after the text
 * of the token whose half it replaces.
 */
export function pieces(deltas: readonly RawDelta[]): Piece[] {
  const out: Piece[] = [];
  for (const d of deltas) {
    const last = out[out.length - 1];
    if (last && last.token === d.token && !d.joined && !d.separator && !last.separator && last.byteEnd === d.byteStart) {
      last.end = d.start + d.text.length;
      if (d.byteEnd !== undefined) last.byteEnd = d.byteEnd;
      continue;
    }
    const p: Piece = { start: d.start, end: d.start + d.text.length, token: d.token };
    if (d.joined) Object.assign(p, { joined: d.joined, joinedFrom: d.joinedFrom });
    if (d.byteStart !== undefined) Object.assign(p, { byteStart: d.byteStart, byteEnd: d.byteEnd });
    if (d.separator) p.separator = true;
    out.push(p);
  }
  return out;
}

/** Deltas are non-empty, cover the text contiguously and rebuild it. */
export function expectConsistent(res: ReturnType<typeof run>): void {
  const { r, deltas, text } = res;
  for (const d of deltas) expect(d.text.length).toBeGreaterThan(0);
  let rebuilt = '';
  for (const d of deltas) {
    expect(d.start).toBe(rebuilt.length);
    rebuilt += d.text;
  }
  expect(rebuilt).toBe(text);
  expect(r.length()).toBe(text.length);
}

/** Cuts `n` items into consecutive pieces using `sizes` cyclically. */
export function cut<T extends { slice(a: number, b: number): T; length: number }>(whole: T, sizes: number[]): T[] {
  const out: T[] = [];
  let i = 0;
  let k = 0;
  while (i < whole.length) {
    const size = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    out.push(whole.slice(i, i + size));
    i += size;
  }
  return out;
}

export const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
export const whatwgDecode = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
