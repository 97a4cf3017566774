// Where a character range of the raw text came from: the tokens (with frame/seq/message id, bytes and
// arrival time) and what the engine did with them — surrogate pairs and UTF-8 characters it joined across
// tokens, separators it inserted, duplicates it dropped, characters it could not decode. Every note restates
// a fact the engine put on its events (raw.text's `joined`/`joinedFrom`/bytes/`separator`, frame.issue's
// `token` and `position`); nothing here re-derives them from the token payloads, so the inspector cannot disagree with it.
import type { FrameIssueEvent } from '../../../../shared/events';
import { spanAt, type TurnData } from '../../store/turn-model';
import { sliceText } from '../../text/text-lines';
import { base64ToBytes, hexBytes } from '../../text/visible';

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

const JOIN_WORDS = {
  surrogate: 'a surrogate pair split across text tokens',
  'utf8-split': 'a UTF-8 character split across binary frames',
} as const;

function issueNote(is: FrameIssueEvent): string {
  switch (is.kind) {
    case 'duplicate-seq':
      return `a duplicate was dropped here: ${is.detail}`;
    case 'seq-gap':
      return `gap here: ${is.detail}`;
    default:
      return `${is.kind}: ${is.detail}`;
  }
}

export function inspectRange(t: TurnData, start: number, end: number): Inspection {
  const s = Math.max(0, Math.min(start, t.raw.length));
  const e = Math.max(s, Math.min(end, t.raw.length));
  const firstSpan = Math.max(0, spanAt(t, s));
  const lastSpan = Math.max(firstSpan, spanAt(t, Math.max(s, e - 1)));
  const fromToken = firstSpan > 0 ? t.spanToken[firstSpan - 1]! + 1 : 0;
  const toToken = t.spanToken[lastSpan] ?? fromToken - 1;
  const notesOf = new Map<number, string[]>();
  const note = (token: number, text: string) => {
    const list = notesOf.get(token);
    if (list) list.push(text);
    else notesOf.set(token, [text]);
  };
  // Characters each token completed (a token that only began a character has none of its own).
  const ranges = new Map<number, [number, number]>();
  for (let i = firstSpan; i <= lastSpan && i < t.spanStart.length; i++) {
    const tok = t.spanToken[i]!;
    const a = t.spanStart[i]!;
    const b = t.spanStart[i + 1] ?? t.raw.length;
    const r = ranges.get(tok);
    ranges.set(tok, r ? [r[0], b] : [a, b]);
  }
  // The engine's facts about the spans: what it joined (both ends of the join), what it inserted.
  for (const [span, f] of t.spanFacts) {
    const tok = t.spanToken[span]!;
    if (f.joined !== undefined && f.joinedFrom !== undefined) {
      const bytes = f.byteStart !== undefined ? ` (bytes ${f.byteStart}–${f.byteEnd} of the turn's byte stream decoded together)` : '';
      note(tok, `completes the character begun in token ${f.joinedFrom}: ${JOIN_WORDS[f.joined]}, joined by reassembly${bytes}`);
      note(f.joinedFrom, `its last character was completed by token ${tok}: ${JOIN_WORDS[f.joined]}, joined by reassembly`);
    }
    if (f.separator && tok >= fromToken && tok <= toToken) note(tok, `reassembly inserted a message separator before its text (at char ${t.spanStart[span]}; not sent by the upstream)`);
  }
  // Issues the engine tied to a token (a dropped duplicate, an undecodable half or byte sequence).
  for (const is of t.issues) if (is.token !== undefined) note(is.token, issueNote(is));

  const c = t.tokens;
  const rows: TokenRow[] = [];
  for (let i = fromToken; i <= toToken && rows.length < MAX_ROWS; i++) {
    if (c.at[i] === undefined) continue;
    const binary = c.binary[i] ?? false;
    const payload = c.payload[i] ?? '';
    const notes = notesOf.get(i) ?? [];
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
    if (binary) row.hex = hexBytes(base64ToBytes(payload), 24);
    else row.text = payload;
    if (!row.range && notes.length === 0) notes.push(payload.length ? 'released no text of its own' : 'empty: released no text');
    rows.push(row);
  }
  // Issues without a token (gaps, a connection break) are placed by their position.
  const issues = t.issues.filter((is) => is.position === undefined || (is.position >= s - 1 && is.position <= e + 1));
  for (const is of issues) {
    if (is.position === undefined || is.token !== undefined) continue;
    const near = rows.find((r) => r.range && is.position! >= r.range[0] && is.position! <= r.range[1]);
    if (near) near.notes.push(issueNote(is));
  }
  return { start: s, end: e, text: sliceText(t.raw, s, e), tokens: rows, issues, more: Math.max(0, toToken - fromToken + 1 - rows.length) };
}
