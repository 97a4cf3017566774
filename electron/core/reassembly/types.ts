// The shapes reassembly hands out: appended text (RawDelta), where each character came from (Fragment), the
// per-message range table (MessageRange) and what went wrong on the way (ReassemblyIssue).
// Plain data only: everything here may go into events, recordings and IPC as JSON.
import type { FrameIssueEvent, TokenEvent } from '../../../shared/events';

/** Text appended to the reassembled raw text at `start` (UTF-16 units). Complete code points only. */
export interface RawDelta {
  start: number;
  text: string;
  /** Index of the token the text is attributed to (see Fragment.token). */
  token: number;
  /** When the text became known: the `at` of the token (or of `end()`) whose arrival released it. */
  at: number;
}

/**
 * One contiguous range of the reassembled text and the token it came from. Non-empty; the fragments of a
 * turn cover the text contiguously, in order. A token that released no text (empty, or only the first half of
 * a split character) has no fragment of its own: the fragment of the token that completed the character
 * says so with `joined` and `joinedFrom`.
 */
export interface Fragment {
  /** Range in the reassembled text, UTF-16 code units, end exclusive. */
  start: number;
  end: number;
  /** TokenEvent.index the text is attributed to. */
  token: number;
  frame: number;
  seq?: number;
  messageId?: string;
  kind: 'text' | 'binary';
  /** Binary tokens: byte range in the turn's binary byte stream (all binary frames joined) decoded into this text. */
  byteStart?: number;
  byteEnd?: number;
  /** Arrival time of the token (ms since turn start). */
  at: number;
  /** The first character was completed by this token from a half that arrived in an earlier token. */
  joined?: 'surrogate' | 'utf8-split';
  /** With `joined`: the index of the token where that character began. */
  joinedFrom?: number;
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

/** One upstream message (socket endpoint `_messageId`, or the whole gateway answer) as a text range. */
export interface MessageRange {
  /** `undefined` for the gateway's single answer and for socket-endpoint outputs without `_messageId`. */
  messageId?: string;
  /** Range of the message's own text, without any separator before it. */
  start: number;
  end: number;
  firstToken: number;
  lastToken: number;
  /** Tokens (chunks) that belonged to it, including empty ones. */
  tokens: number;
}

export interface ReassemblerOptions {
  onText?(d: RawDelta): void;
  /** Issues found by the reassembler itself (not those passed to markIssue). */
  onIssue?(i: ReassemblyIssue): void;
  /**
   * Which upstream the tokens come from. `socket-endpoint`: an output without `_messageId` is a complete
   * message of its own. `gateway` (default): tokens without a messageId all belong to one answer.
   */
  upstream?: 'gateway' | 'socket-endpoint';
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
  fragments(): Fragment[];
  /** Fragments overlapping [start, end); for an empty range, the fragment containing `start`. O(log n + k). */
  lookup(start: number, end: number): Fragment[];
  issues(): ReassemblyIssue[];
  messages(): MessageRange[];
  /** Code units (text) or bytes (binary) held back because the character they start is not complete yet. */
  held(): { kind: 'text' | 'binary'; units: number } | null;
}
