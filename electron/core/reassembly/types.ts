// The shapes reassembly hands out: appended text with where it came from (RawDelta) and what went wrong on
// the way (ReassemblyIssue).
// Plain data only: everything here may go into events, recordings and IPC as JSON.
import type { ReassemblyMode } from '../../../shared/upstream-kinds';
import type { FrameIssueEvent, TokenEvent } from '../../../shared/events';

/**
 * Text appended to the reassembled raw text at `start` (UTF-16 units). Complete code points only. Carries
 * what reassembly did to make it (it goes out as the `raw.text` event, so the inspector shows the engine's
 * facts instead of re-deriving them).
 */
export interface RawDelta {
  start: number;
  text: string;
  /**
   * Index of the token the text is attributed to: the token whose arrival released it. A token that released
   * no text (empty, or only the first half of a split character) has no delta of its own: the delta of the
   * token that completed the character names it in `joinedFrom`.
   */
  token: number;
  /** When the text became known: the `at` of the token (or of `end()`) whose arrival released it. */
  at: number;
  /** The first character was completed by this token from a half that arrived in an earlier token. */
  joined?: 'surrogate' | 'utf8-split';
  /** With `joined`: the index of the token where that character began. */
  joinedFrom?: number;
  /** Binary tokens: byte range in the turn's binary byte stream (all binary frames joined) decoded into this text. */
  byteStart?: number;
  byteEnd?: number;
  /**
   * Socket endpoint: a message separator inserted by reassembly (not sent by the upstream) before the first
   * text of a new message. `token` is the token that opened that message.
   */
  separator?: true;
}

/** Issue kinds are the FrameIssueEvent kinds, so an issue converts to an event one to one. */
export type ReassemblyIssueKind = FrameIssueEvent['kind'];

export interface ReassemblyIssue {
  kind: ReassemblyIssueKind;
  /** Position in the reassembled text (UTF-16 units) where it happened: the U+FFFD for decoding issues. */
  position: number;
  detail: string;
  /** `reassembler`: found here (also passed to onIssue). `upstream`: recorded through markIssue(). */
  source: 'reassembler' | 'upstream';
  /** Time (ms since turn start) the issue became known. */
  at: number;
  /** Token the issue belongs to, when there is one. */
  token?: number;
  /** invalid-utf8: offset of the first bad byte in the turn's binary byte stream. */
  byteOffset?: number;
  seq?: number;
  expectedSeq?: number;
}

export interface ReassemblerOptions {
  onText?(d: RawDelta): void;
  /** Issues found by the reassembler itself (not those passed to markIssue). */
  onIssue?(i: ReassemblyIssue): void;
  /**
   * How tokens become messages, as the upstream's kind says (shared/upstream-kinds.ts). `per-output`: an
   * output without `_messageId` is a complete message of its own. `one-answer` (default): tokens without a
   * messageId all belong to one answer.
   */
  messages?: ReassemblyMode;
  /**
   * Inserted between the texts of two consecutive distinct messages unless the earlier text already ends
   * with it. Default "\n" (a chat shows them as separate bubbles; gluing "Hello." to "How are you" would
   * show a text nobody sent). '' joins messages without a separator.
   */
  messageSeparator?: string;
}

export interface Reassembler {
  feed(ev: TokenEvent): void;
  /**
   * Records an upstream issue (gap, duplicate, malformed frame) at the current text position and returns it
   * (not passed to onIssue: the caller already has it). A `seq-gap` first ends a character held across it.
   */
  markIssue(ev: FrameIssueEvent): ReassemblyIssue;
  /** Turn over: a character still incomplete becomes U+FFFD (and an issue). Feeding after end() throws. */
  end(atMs: number): void;
  text(): string;
  /** Current length of the reassembled text in UTF-16 units (without characters still incomplete). */
  length(): number;
  issues(): ReassemblyIssue[];
}
