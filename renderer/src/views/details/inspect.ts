// Where a character range of the raw text came from: the tokens (with frame/seq/message id, bytes and
// arrival time) and what was special about them — surrogate pairs joined across tokens, binary frames that
// split a UTF-8 character, duplicates dropped and gaps nearby. Computed from the events alone.
import type { FrameIssueEvent } from '../../../../shared/events';
import { spanAt, type TurnData } from '../../store/turn-model';
import { sliceText } from '../../text/text-lines';
import { base64ToBytes, hexBytes, incompleteUtf8Tail, leadingContinuation } from '../../text/visible';

export interface TokenRow {
  index: number;
  /** Token text as it arrived (text frames). */
  text?: string;
  /** Hex of the bytes (binary frames). */
  hex?: string;
  binary: boolean;
  frame: number;
  seq?: number;
  messageId?: string;
  bytes: number;
  at: number;
  gap?: number;
  /** Raw-text range the token's characters ended up in. */
  range?: [number, number];
  notes: string[];
}

export interface Inspection {
  start: number;
  end: number;
  text: string;
  tokens: TokenRow[];
  issues: FrameIssueEvent[];
  /** More tokens than shown. */
  more: number;
}

const MAX_ROWS = 400;

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

export function inspectRange(t: TurnData, start: number, end: number): Inspection {
  const s = Math.max(0, Math.min(start, t.raw.length));
  const e = Math.max(s, Math.min(end, t.raw.length));
  const firstSpan = Math.max(0, spanAt(t, s));
  const lastSpan = Math.max(firstSpan, spanAt(t, Math.max(s, e - 1)));
  const fromToken = firstSpan > 0 ? t.spanToken[firstSpan - 1]! + 1 : 0;
  const toToken = t.spanToken[lastSpan] ?? fromToken - 1;
  // Characters each token completed (a token that only began a character has none of its own).
  const ranges = new Map<number, [number, number]>();
  for (let i = firstSpan; i <= lastSpan && i < t.spanStart.length; i++) {
    const tok = t.spanToken[i]!;
    const a = t.spanStart[i]!;
    const b = t.spanStart[i + 1] ?? t.raw.length;
    const r = ranges.get(tok);
    ranges.set(tok, r ? [r[0], b] : [a, b]);
  }
  const c = t.tokens;
  const rows: TokenRow[] = [];
  const seqSeen = new Map<number, number>();
  for (let i = fromToken; i <= toToken && rows.length < MAX_ROWS; i++) {
    if (c.at[i] === undefined) continue;
    const binary = c.binary[i] ?? false;
    const payload = c.payload[i] ?? '';
    const notes: string[] = [];
    const row: TokenRow = {
      index: i,
      binary,
      frame: c.frame[i]!,
      seq: c.seq[i]! >= 0 ? c.seq[i] : undefined,
      messageId: c.messageId[i],
      bytes: c.bytes[i] ?? 0,
      at: c.at[i]!,
      gap: i > 0 && c.at[i - 1] !== undefined ? c.at[i]! - c.at[i - 1]! : undefined,
      range: ranges.get(i),
      notes,
    };
    if (binary) {
      const bytes = base64ToBytes(payload);
      row.hex = hexBytes(bytes, 24);
      const lead = leadingContinuation(bytes);
      const tail = incompleteUtf8Tail(bytes);
      if (lead) notes.push(`binary split: starts with ${lead} continuation byte${lead > 1 ? 's' : ''} of a character begun in token ${i - 1}`);
      if (tail) notes.push(`binary split: ends inside a character (${tail} byte${tail > 1 ? 's' : ''} of it here); joined with the next frame before decoding`);
    } else {
      row.text = payload;
      if (payload.length && isHigh(payload.charCodeAt(payload.length - 1))) notes.push('ends with a high surrogate: joined with the low surrogate of the next token (one character)');
      if (payload.length && isLow(payload.charCodeAt(0))) {
        const prev = c.payload[i - 1];
        notes.push(prev && !c.binary[i - 1] && isHigh(prev.charCodeAt(prev.length - 1)) ? `starts with a low surrogate: completes the character begun in token ${i - 1}` : 'starts with a lone low surrogate (no high surrogate before it)');
      }
    }
    if (!row.range) notes.push('no character of its own: its content completed in a later token');
    const sq = row.seq;
    if (sq !== undefined) {
      const f = seqSeen.get(sq);
      if (f !== undefined && f !== row.frame) notes.push(`same seq ${sq} as frame ${f}`);
      seqSeen.set(sq, row.frame);
    }
    rows.push(row);
  }
  const issues = t.issues.filter((is) => is.position === undefined || (is.position >= s - 1 && is.position <= e + 1));
  for (const is of issues) {
    if (is.position === undefined) continue;
    const near = rows.find((r) => r.range && is.position! >= r.range[0] && is.position! <= r.range[1]);
    const label = is.kind === 'seq-gap' ? `gap here: ${is.detail}` : is.kind === 'duplicate-seq' ? `duplicate dropped here: ${is.detail}` : `${is.kind}: ${is.detail}`;
    if (near) near.notes.push(label);
  }
  return { start: s, end: e, text: sliceText(t.raw, s, e), tokens: rows, issues, more: Math.max(0, toToken - fromToken + 1 - rows.length) };
}
