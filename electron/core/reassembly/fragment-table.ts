// The fragment map stored as columns of typed arrays: one row per token (not per character), no object per
// row until someone asks (the inspector looks at a few rows; a long answer has hundreds of thousands of
// tokens). Rows are contiguous and non-empty; lookup is a binary search. It must never reorder rows.
import type { Fragment } from './types';

const BINARY = 1;
const JOINED_SURROGATE = 2;
const JOINED_UTF8 = 4;
const SEPARATOR = 8;

/** What one row records; fields the token did not have are -1 (numbers) or undefined. */
export interface FragmentRow {
  end: number;
  token: number;
  frame: number;
  seq: number;
  messageId: string | undefined;
  kind: 'text' | 'binary';
  byteStart: number;
  byteEnd: number;
  at: number;
  joined: 'surrogate' | 'utf8-split' | undefined;
  joinedFrom: number;
  separator: boolean;
}

export class FragmentTable {
  private n = 0;
  private cap = 0;
  private ends = new Int32Array(0);
  private tokens = new Int32Array(0);
  private frames = new Int32Array(0);
  private seqs = new Int32Array(0);
  private messages = new Int32Array(0);
  private byteStarts = new Int32Array(0);
  private byteEnds = new Int32Array(0);
  private joinedFroms = new Int32Array(0);
  private ats = new Float64Array(0);
  private flags = new Uint8Array(0);
  private readonly messageIds: string[] = [];
  private readonly messageIndex = new Map<string, number>();

  get length(): number {
    return this.n;
  }

  /** Appends a row starting where the previous one ended; merges into it when it is the same token's text. */
  push(row: FragmentRow): void {
    const flags =
      (row.kind === 'binary' ? BINARY : 0) |
      (row.joined === 'surrogate' ? JOINED_SURROGATE : row.joined === 'utf8-split' ? JOINED_UTF8 : 0) |
      (row.separator ? SEPARATOR : 0);
    const last = this.n - 1;
    // A U+FFFD after a token's own text (or vice versa) stays in that token's row: one entry per token.
    if (last >= 0 && this.tokens[last] === row.token && flags === (this.flags[last]! & BINARY) && (this.flags[last]! & SEPARATOR) === 0 && this.byteEnds[last] === row.byteStart) {
      this.ends[last] = row.end;
      this.byteEnds[last] = row.byteEnd;
      return;
    }
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.ends[i] = row.end;
    this.tokens[i] = row.token;
    this.frames[i] = row.frame;
    this.seqs[i] = row.seq;
    this.messages[i] = row.messageId === undefined ? -1 : this.intern(row.messageId);
    this.byteStarts[i] = row.byteStart;
    this.byteEnds[i] = row.byteEnd;
    this.joinedFroms[i] = row.joinedFrom;
    this.ats[i] = row.at;
    this.flags[i] = flags;
  }

  get(i: number): Fragment {
    const flags = this.flags[i]!;
    const f: Fragment = {
      start: i === 0 ? 0 : this.ends[i - 1]!,
      end: this.ends[i]!,
      token: this.tokens[i]!,
      frame: this.frames[i]!,
      kind: flags & BINARY ? 'binary' : 'text',
      at: this.ats[i]!,
    };
    if (this.seqs[i]! >= 0) f.seq = this.seqs[i]!;
    if (this.messages[i]! >= 0) f.messageId = this.messageIds[this.messages[i]!]!;
    if (this.byteStarts[i]! >= 0) {
      f.byteStart = this.byteStarts[i]!;
      f.byteEnd = this.byteEnds[i]!;
    }
    if (flags & (JOINED_SURROGATE | JOINED_UTF8)) {
      f.joined = flags & JOINED_SURROGATE ? 'surrogate' : 'utf8-split';
      f.joinedFrom = this.joinedFroms[i]!;
    }
    if (flags & SEPARATOR) f.separator = true;
    return f;
  }

  toArray(): Fragment[] {
    const out = new Array<Fragment>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.get(i);
    return out;
  }

  /** Rows overlapping [start, end); for an empty range, the row containing `start` (if any). */
  lookup(start: number, end: number): Fragment[] {
    if (end < start) [start, end] = [end, start];
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid]! <= start) lo = mid + 1;
      else hi = mid;
    }
    const stop = end === start ? start + 1 : end;
    const out: Fragment[] = [];
    for (let i = lo; i < this.n && (i === 0 ? 0 : this.ends[i - 1]!) < stop; i++) out.push(this.get(i));
    return out;
  }

  private intern(id: string): number {
    let k = this.messageIndex.get(id);
    if (k === undefined) {
      k = this.messageIds.push(id) - 1;
      this.messageIndex.set(id, k);
    }
    return k;
  }

  private grow(): void {
    const cap = Math.max(256, this.cap * 2);
    const int = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.ends = int(this.ends);
    this.tokens = int(this.tokens);
    this.frames = int(this.frames);
    this.seqs = int(this.seqs);
    this.messages = int(this.messages);
    this.byteStarts = int(this.byteStarts);
    this.byteEnds = int(this.byteEnds);
    this.joinedFroms = int(this.joinedFroms);
    const ats = new Float64Array(cap);
    ats.set(this.ats);
    this.ats = ats;
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    this.cap = cap;
  }
}
