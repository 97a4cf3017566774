// Types of the filter engine: the public results (Hit, FilterChunk) and the contract every detector keeps.
import type { FilterAction } from '../../../shared/events';

export type { FilterAction };

/** A detection, by position only: the detected value never appears in a hit (nor in errors or logs). */
export interface Hit {
  type: string;
  action: FilterAction;
  /** Range in the raw text, UTF-16 code units. */
  start: number;
  end: number;
  /** Range of the replacement in the released (filtered) text; empty for `block`. */
  outStart: number;
  outEnd: number;
}

export interface FilterChunk {
  /** Text released by this call (raw text with detections replaced). */
  text: string;
  hits: Hit[];
  /** Raw characters held back after this call. */
  holdback: number;
  /**
   * Why text is held: the type whose candidate waits at the start of the held text (the scan stops asking at
   * the first that waits, so others may wait too). Empty when nothing is held, or only half a surrogate pair.
   * Read-only (shared between chunks).
   */
  pending: string[];
  /** Set once a `block` detection ended the output; nothing is released after it. */
  blocked?: { type: string };
}

export interface StreamFilter {
  /** Appends `text` and scans: `append(text)` then `scan()`. */
  feed(text: string): FilterChunk;
  /**
   * Appends raw text without scanning it (issue 13: the tokens that arrive in one event-loop tick are
   * appended one by one and scanned once). Nothing is released until the next `scan()`, `feed()` or `end()`.
   */
  append(text: string): void;
  /**
   * Scans what was appended since the last scan and releases everything no candidate could still cover:
   * the same release, at this point, as feeding the same text in any chunking. Without new text it
   * releases nothing and costs nothing.
   */
  scan(): FilterChunk;
  /** Flushes everything; the filter accepts no more text. */
  end(): FilterChunk;
  /** Forgets everything: the filter starts a new text (same policy and salt), as if just created. */
  reset(): void;
}

export interface FilterResult {
  output: string;
  hits: Hit[];
  blocked?: { type: string };
}

export interface FilterOptions {
  /** Key of the `hash` pseudonyms. Same salt + same value = same pseudonym. Default: one per compiled policy. */
  hashSalt?: string;
}

/** A detector's answer at a position: a match length > 0, NONE, or PENDING (needs text not seen yet). */
export const NONE = 0;
export const PENDING = -1;

/** The raw text right before the window `s` (empty when `s` starts the text). Lazily built: call it only to read further back than SHORT_CONTEXT. */
export type TextBefore = () => string;

/**
 * One detector. `detect(s, i, atEnd, before)` decides whether a value of its type starts at `s[i]`.
 *
 * The contract that makes streaming equal whole-text filtering:
 * - it reads `s` only in `[i - SHORT_CONTEXT, s.length)`; anything further back (context words, regex
 *   lookbehind) only through textBefore(s, i, len, before), never more than LEFT_CONTEXT units back;
 * - if it would need `s[j]` for `j >= s.length` and `atEnd` is false, it returns PENDING, never a guess;
 * - its answer depends only on the characters it read, so a longer `s` can never change a non-PENDING answer;
 * - a match is at most `maxLookahead` units and PENDING is returned only while `s.length - i <= maxLookahead`.
 */
export interface Detector {
  readonly type: string;
  readonly maxLookahead: number;
  /**
   * True when this detector never finds anything at a word of ASCII letters (and '_') that is followed by
   * plain punctuation or space (not a letter, digit, '@', '.', '%', '+', '-' or ':'). Lets the scan skip it
   * for ordinary words; property-tested.
   */
  readonly plainWordNone?: boolean;
  /**
   * True when this detector never finds anything at a run of ASCII letters, digits and '_' followed by
   * plain punctuation or space (the terminators of plainWordNone): the stronger form of plainWordNone, for
   * numbers of prose ("in 2019, ", "zip 94103 "). Lets the scan skip it there; property-tested.
   */
  readonly plainRunNone?: boolean;
  /**
   * For a detector without plainWordNone: at which plain words (as above) it may find anything, by their
   * first three units as symbols (chars.ts PLAIN_SYMBOL; a word of one or two letters gives "other" for
   * the rest) — PLAIN_SYMBOLS³ entries at plainPrefixIndex(x, y, z), 0 where it answers NONE at such a
   * word whatever follows. Lets the scan pass over most words of prose without a call (issue 13);
   * property-tested.
   */
  readonly plainWordPrefixes?: Uint8Array;
  /**
   * A run this detector keeps waiting over: when it answers PENDING at i and s[i, s.length) is all units of
   * the run (ASCII units marked 1 in `units`), it answers PENDING for any longer text whose units from i are
   * all in the run, up to `max` units from i. Lets the streaming filter append such text to what waits
   * without scanning it again; property-tested.
   */
  readonly pendingRun?: PendingRun;
  /** Cheap test on the first code unit; `detect` is only called where it is true. */
  startsAt(c: number): boolean;
  detect(s: string, i: number, atEnd: boolean, before: TextBefore): number;
  /** Canonical form of a detected value for allow-lists and `hash` (e.g. digits only). */
  normalize?(value: string): string;
}

export interface PendingRun {
  /** 128 entries: 1 for the ASCII code units that continue the run. */
  readonly units: Uint8Array;
  readonly max: number;
}

/** How far back any detector may look (context words, custom regex lookbehind). */
export const LEFT_CONTEXT = 64;
/** How far back a detector reads the window directly (word and number boundaries). */
export const SHORT_CONTEXT = 2;

/**
 * The `len` raw units before s[i] (fewer at the start of the text), and whether any text precedes them.
 * Reads the window first and `before()` only when the window does not reach back far enough.
 */
export function textBefore(s: string, i: number, len: number, before: TextBefore): { text: string; more: boolean } {
  if (i >= len) return { text: s.slice(i - len, i), more: i > len || before().length > 0 };
  const b = before();
  const need = len - i;
  return { text: (b.length > need ? b.slice(b.length - need) : b) + s.slice(0, i), more: b.length > need };
}
