// PROFANITY: whole words and phrases from the "List of Dirty, Naughty, Obscene, and Otherwise Bad Words"
// (LDNOOBW, CC-BY-4.0, https://github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words,
// via the naughty-words package), case-insensitive. Whole words only, so "Scunthorpe", "class", "assassin"
// and "cocktail" survive. One trie for all entries, built once per compiled policy.
import naughtyWords from 'naughty-words';
import { isWord, lowerAscii, PLAIN_OTHER, PLAIN_SYMBOL, PLAIN_SYMBOLS, plainPrefixIndex } from '../chars';
import { NONE, PENDING, type Detector } from '../types';

/** Languages whose lists are written without spaces between words: whole-word matching cannot apply. */
const UNSEGMENTED = new Set(['ja', 'zh', 'th', 'ko']);

export function profanityLanguages(): string[] {
  return Object.keys(naughtyWords).filter((l) => !UNSEGMENTED.has(l));
}

function lower(c: number): number {
  if (c < 128) return lowerAscii(c);
  const l = String.fromCharCode(c).toLowerCase();
  return l.length === 1 ? l.charCodeAt(0) : c;
}

/**
 * The trie as flat arrays: node k's child on code unit c is found by a per-node map (few nodes have many
 * children), with ASCII children of every node in one Int32Array row of 128 for the hot path.
 */
class Trie {
  /**
   * ascii[node * 128 + c] = child + 1, 0 when none; an ASCII letter's row holds its child in either case, so
   * the scan reads it without lower-casing (a branch first taken at the first capital long after the
   * detector was optimized deoptimized it, issue 13).
   */
  ascii: Int32Array;
  wide: Array<Map<number, number> | undefined> = [];
  terminal: Uint8Array;
  childCount: Uint16Array;
  size = 1;

  /**
   * The trie of `entries`, lower-cased per unit: built from them sorted, so that each entry shares with the
   * one before exactly their common prefix and every unit after it is a new node. That gives the node count
   * before anything is allocated (the tables once, at their size) and adds each node with no lookup: building
   * the trie was most of what compiling the default policy cost the `filter` CLI's start-up, and a loop that
   * ran long enough to be optimized on the compiler thread the scan needs (issue 13).
   */
  constructor(entries: readonly string[]) {
    const sorted = [...new Set(entries.map(lowerUnits))].sort();
    const shared = new Int32Array(sorted.length);
    let nodes = 1;
    for (let e = 1; e < sorted.length; e++) shared[e] = commonPrefix(sorted[e - 1]!, sorted[e]!);
    for (let e = 0; e < sorted.length; e++) nodes += sorted[e]!.length - shared[e]!;
    const ascii = (this.ascii = new Int32Array(128 * nodes));
    const terminal = (this.terminal = new Uint8Array(nodes));
    const childCount = (this.childCount = new Uint16Array(nodes));
    /** path[d]: the node at depth d of the entry before. */
    const path = new Int32Array(sorted.reduce((m, w) => Math.max(m, w.length), 0) + 1);
    for (let e = 0; e < sorted.length; e++) {
      const w = sorted[e]!;
      for (let d = shared[e]!; d < w.length; d++) {
        const node = path[d]!;
        const c = w.charCodeAt(d);
        const next = this.size++;
        if (c < 128) {
          ascii[node * 128 + c] = next + 1;
          if (c >= 97 && c <= 122) ascii[node * 128 + c - 32] = next + 1;
        } else (this.wide[node] ??= new Map<number, number>()).set(c, next);
        childCount[node]!++;
        path[d + 1] = next;
      }
      terminal[path[w.length]!] = 1;
    }
  }

  child(node: number, c: number): number {
    if (c < 128) return this.ascii[node * 128 + c]! - 1;
    return this.wide[node]?.get(c) ?? -1;
  }
}

/** `w` lower-cased unit by unit, as the scan compares it (String.toLowerCase may change a text's length). */
function lowerUnits(w: string): string {
  if (/^[\x00-\x7f]*$/.test(w)) return w.toLowerCase();
  let out = '';
  for (let k = 0; k < w.length; k++) out += String.fromCharCode(lower(w.charCodeAt(k)));
  return out;
}

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  return k;
}

export function createProfanityDetector(languages: readonly string[] = ['en']): Detector {
  const entries: string[] = [];
  for (const lang of languages) {
    for (const entry of naughtyWords[lang] ?? []) {
      const w = entry.trim();
      if (w) entries.push(w);
    }
  }
  const trie = new Trie(entries);
  let longest = 0;
  for (const w of entries) longest = Math.max(longest, w.length);
  const { ascii, terminal, childCount } = trie;
  // First code units of entries, either case.
  const firstAscii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (trie.child(0, lower(c)) >= 0) firstAscii[c] = 1;
  const firstWide = new Set(trie.wide[0]?.keys() ?? []);

  return {
    type: 'PROFANITY',
    maxLookahead: longest + 1,
    plainWordPrefixes: plainWordPrefixes(entries),
    startsAt: (c) => (c < 128 ? firstAscii[c] === 1 : firstWide.has(lower(c))),
    normalize: (v) => v.toLowerCase(),
    detect(s, i, atEnd) {
      const n = s.length;
      const first = s.charCodeAt(i);
      // Whole words: an entry that starts with a letter must not continue a word.
      if (i > 0 && isWord(first) && isWord(s.charCodeAt(i - 1))) return NONE;
      let node = 0;
      let best = NONE;
      let k = i;
      for (;;) {
        if (k >= n) {
          // The text ends inside a possible entry: wait, unless nothing longer can follow.
          if (!atEnd && childCount[node]! > 0) return PENDING;
          break;
        }
        const c = s.charCodeAt(k);
        node = c < 128 ? ascii[node * 128 + c]! - 1 : trie.child(node, lower(c));
        if (node < 0) break;
        k++;
        if (terminal[node] === 1) {
          const last = s.charCodeAt(k - 1);
          if (!isWord(last)) best = k - i;
          else if (k >= n) {
            if (!atEnd) return PENDING;
            best = k - i;
          } else if (!isWord(s.charCodeAt(k))) best = k - i;
        }
      }
      return best;
    },
  };
}

/**
 * Detector.plainWordPrefixes from the entries' first three units, lower-cased as the trie holds them: an
 * entry can start at a plain word only along them; one that ends (or leaves the letters) sooner allows
 * whatever follows. A non-ASCII unit there never meets a plain word.
 */
function plainWordPrefixes(entries: readonly string[]): Uint8Array {
  const table = new Uint8Array(PLAIN_SYMBOLS ** 3);
  const mark = (x: number, y: number, z: number) => {
    for (let b = y < 0 ? 0 : y; b <= (y < 0 ? PLAIN_SYMBOLS - 1 : y); b++) {
      for (let c = z < 0 ? 0 : z; c <= (z < 0 ? PLAIN_SYMBOLS - 1 : z); c++) table[plainPrefixIndex(x, b, c)] = 1;
    }
  };
  const unit = (w: string, k: number) => {
    const l = lower(w.charCodeAt(k));
    return l < 128 ? PLAIN_SYMBOL[l]! : -1;
  };
  for (const w of entries) {
    const x = unit(w, 0);
    // A plain word starts with a letter (or '_').
    if (x < 0 || x === PLAIN_OTHER) continue;
    if (w.length === 1) {
      mark(x, -1, -1);
      continue;
    }
    const y = unit(w, 1);
    if (y < 0) continue;
    if (w.length === 2 || y === PLAIN_OTHER) {
      mark(x, y, -1);
      continue;
    }
    const z = unit(w, 2);
    if (z >= 0) mark(x, y, z);
  }
  return table;
}
