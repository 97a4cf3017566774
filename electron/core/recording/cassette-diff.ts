// Compares two recordings turn by turn: raw and filtered text, token boundaries, filter hits, status,
// usage and timing. Returns a structured result (the app renders it side by side; the CLI prints it).
// Timing always differs between runs, so it is reported but never makes two recordings "different".
import type { Cause, FilterHit } from '../../../shared/events';
import type { Cassette } from './cassette-schema';
import { textDiff, type TextDiff } from './text-diff';
import { countedUsage, summarizeTurns, type TurnOutcome, type TurnRecord } from './turns';

export interface Delta {
  a?: number;
  b?: number;
  /** b − a, when both exist. */
  delta?: number;
}

export interface TokenBoundaryDiff {
  a: number;
  b: number;
  same: boolean;
  /** Offsets (in token units: UTF-16 for text tokens, bytes for binary ones) where only B cuts a token. */
  added: number[];
  /** Offsets where only A cuts a token. */
  removed: number[];
}

export interface HitDiff {
  added: FilterHit[];
  gone: FilterHit[];
  same: number;
}

export interface TurnDiff {
  index: number;
  same: boolean;
  /** What differs (e.g. `usage`, `filtered text`); empty when same or when the turn is in one recording only. */
  differs: string[];
  /** Set when the turn exists in only one recording. */
  onlyIn?: 'a' | 'b';
  input: { a?: string; b?: string; same: boolean };
  status: { a?: TurnOutcome; b?: TurnOutcome; same: boolean };
  /** null when either side has no raw text (redacted). */
  raw: TextDiff | null;
  /** null when neither side ran a filter. */
  filtered: TextDiff | null;
  tokens: TokenBoundaryDiff;
  hits: HitDiff;
  errors: { a: Cause[]; b: Cause[]; same: boolean };
  leaks: { a: number; b: number };
  timing: { ttftMs: Delta; durationMs: Delta };
  usage: { prompt: Delta; completion: Delta; total: Delta; same: boolean };
}

export interface CassetteDiff {
  same: boolean;
  headerChanges: string[];
  turnCount: { a: number; b: number };
  turns: TurnDiff[];
  notes: string[];
}

function delta(a: number | undefined, b: number | undefined): Delta {
  const d: Delta = {};
  if (a !== undefined) d.a = a;
  if (b !== undefined) d.b = b;
  if (a !== undefined && b !== undefined) d.delta = b - a;
  return d;
}

function boundaries(t: TurnRecord | undefined): number[] {
  const out: number[] = [];
  let off = 0;
  for (const tok of t?.tokens ?? []) {
    off += tok.size;
    out.push(off);
  }
  return out;
}

function boundaryDiff(a: TurnRecord | undefined, b: TurnRecord | undefined): TokenBoundaryDiff {
  const ba = boundaries(a);
  const bb = boundaries(b);
  const sa = new Set(ba);
  const sb = new Set(bb);
  const added = bb.filter((x) => !sa.has(x));
  const removed = ba.filter((x) => !sb.has(x));
  return { a: ba.length, b: bb.length, same: added.length === 0 && removed.length === 0 && ba.length === bb.length, added, removed };
}

const hitKey = (h: FilterHit) => `${h.type}|${h.action}|${h.rawStart}|${h.rawEnd}`;

function hitDiff(a: FilterHit[], b: FilterHit[]): HitDiff {
  const pool = new Map<string, FilterHit[]>();
  for (const h of a) pool.set(hitKey(h), [...(pool.get(hitKey(h)) ?? []), h]);
  const added: FilterHit[] = [];
  let same = 0;
  for (const h of b) {
    const list = pool.get(hitKey(h));
    if (list && list.length) {
      list.pop();
      same++;
    } else added.push(h);
  }
  const gone = [...pool.values()].flat();
  return { added, gone, same };
}

export function diffTurns(a: TurnRecord | undefined, b: TurnRecord | undefined, index: number, labels = { a: 'A', b: 'B' }): TurnDiff {
  const input = { a: a?.input, b: b?.input, same: a?.input === b?.input };
  const status = { a: a?.status, b: b?.status, same: a?.status === b?.status };
  const raw = a && b && a.rawText !== null && b.rawText !== null ? textDiff(a.rawText, b.rawText, labels) : null;
  const filtered =
    a?.filteredText != null || b?.filteredText != null ? textDiff(a?.filteredText ?? '', b?.filteredText ?? '', labels) : null;
  const tokens = boundaryDiff(a, b);
  const hits = hitDiff(a?.hits ?? [], b?.hits ?? []);
  const ea = (a?.errors ?? []).map((e) => e.cause);
  const eb = (b?.errors ?? []).map((e) => e.cause);
  const errors = { a: ea, b: eb, same: ea.join() === eb.join() };
  const leaks = { a: a?.leaks.length ?? 0, b: b?.leaks.length ?? 0 };
  const ua = countedUsage(a?.usage);
  const ub = countedUsage(b?.usage);
  const usage = {
    prompt: delta(ua?.prompt, ub?.prompt),
    completion: delta(ua?.completion, ub?.completion),
    total: delta(ua?.total, ub?.total),
    same: ua?.prompt === ub?.prompt && ua?.completion === ub?.completion && ua?.total === ub?.total,
  };
  const timing = { ttftMs: delta(a?.ttftMs, b?.ttftMs), durationMs: delta(a?.durationMs, b?.durationMs) };
  // What makes the turn "different", in the words the diff view shows (timing alone never does: it always
  // varies).
  const parts: Array<[boolean, string]> = [
    [input.same, 'input'],
    [status.same, 'status'],
    [raw?.same ?? true, 'raw text'],
    [filtered?.same ?? true, 'filtered text'],
    [tokens.same, 'token boundaries'],
    [hits.added.length === 0 && hits.gone.length === 0, 'filter hits'],
    [errors.same, 'errors'],
    [leaks.a === leaks.b, 'leaks'],
    [usage.same, 'usage'],
  ];
  const differs = a && b ? parts.filter(([same]) => !same).map(([, what]) => what) : [];
  const same = Boolean(a && b) && differs.length === 0;
  const d: TurnDiff = { index, same, differs, input, status, raw, filtered, tokens, hits, errors, leaks, timing, usage };
  if (!a) d.onlyIn = 'b';
  else if (!b) d.onlyIn = 'a';
  return d;
}

export function diffCassettes(a: Cassette, b: Cassette, labels = { a: 'A', b: 'B' }): CassetteDiff {
  const ta = summarizeTurns(a.events);
  const tb = summarizeTurns(b.events);
  const headerChanges: string[] = [];
  const ha = a.header;
  const hb = b.header;
  if (ha.upstream !== hb.upstream) headerChanges.push(`upstream: ${ha.upstream} → ${hb.upstream}`);
  if (ha.environment.name !== hb.environment.name) headerChanges.push(`environment: ${ha.environment.name} → ${hb.environment.name}`);
  if ((ha.scenario ?? '') !== (hb.scenario ?? '')) headerChanges.push(`scenario: ${ha.scenario ?? '(none)'} → ${hb.scenario ?? '(none)'}`);
  if (JSON.stringify(ha.model) !== JSON.stringify(hb.model)) headerChanges.push(`model: ${JSON.stringify(ha.model)} → ${JSON.stringify(hb.model)}`);
  if (ha.redacted !== hb.redacted) headerChanges.push(`redacted: ${ha.redacted} → ${hb.redacted}`);
  const notes: string[] = [];
  if (ha.redacted || hb.redacted) notes.push('raw text not compared: a redacted cassette keeps only filtered text');

  const n = Math.max(ta.length, tb.length);
  const turns: TurnDiff[] = [];
  for (let i = 0; i < n; i++) turns.push(diffTurns(ta[i], tb[i], i, labels));
  // Header changes are context (a recording on another host can still answer the same): only the turns decide.
  return { same: ta.length === tb.length && turns.every((t) => t.same), headerChanges, turnCount: { a: ta.length, b: tb.length }, turns, notes };
}
