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
  /** ascii[node * 128 + c] = child + 1, 0 when none. */
  ascii: Int32Array;
  wide: Array<Map<number, number> | undefined> = [];
  terminal: Uint8Array;
  childCount: Uint16Array;
  size = 1;

  /**
   * Room for `capacity` nodes from the start (the entries' total length bounds it): allocated once, where
   * growing and copying the tables six times was most of what compiling a policy cost the `filter` CLI's
   * start-up (issue 13).
   */
  constructor(capacity: number) {
    this.ascii = new Int32Array(128 * capacity);
    this.terminal = new Uint8Array(capacity);
    this.childCount = new Uint16Array(capacity);
  }

  child(node: number, c: number): number {
    if (c < 128) return this.ascii[node * 128 + c]! - 1;
    return this.wide[node]?.get(c) ?? -1;
  }

  add(node: number, c: number): number {
    const existing = this.child(node, c);
    if (existing >= 0) return existing;
    // Never beyond capacity: each code unit of an entry adds at most one node.
    const id = this.size++;
    if (c < 128) this.ascii[node * 128 + c] = id + 1;
    else (this.wide[node] ??= new Map()).set(c, id);
    this.childCount[node]!++;
    return id;
  }
}

export function createProfanityDetector(languages: readonly string[] = ['en']): Detector {
  const entries: string[] = [];
  let units = 1;
  for (const lang of languages) {
    for (const entry of naughtyWords[lang] ?? []) {
      const w = entry.trim();
      if (!w) continue;
      entries.push(w);
      units += w.length;
    }
  }
  const trie = new Trie(units);
  let longest = 0;
  for (const w of entries) {
    let node = 0;
    for (let k = 0; k < w.length; k++) node = trie.add(node, lower(w.charCodeAt(k)));
    trie.terminal[node] = 1;
    longest = Math.max(longest, w.length);
  }
  const { ascii, terminal, childCount } = trie;
  // First code units of entries, either case.
  const firstAscii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (trie.child(0, lower(c)) >= 0) firstAscii[c] = 1;
  const firstWide = new Set(trie.wide[0]?.keys() ?? []);

  return {
    type: 'PROFANITY',
    maxLookahead: longest + 1,
    plainWordPrefixes: plainWordPrefixes(trie),
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
        node = c < 128 ? ascii[node * 128 + (c >= 65 && c <= 90 ? c + 32 : c)]! - 1 : trie.child(node, lower(c));
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
 * Detector.plainWordPrefixes from the trie's ASCII paths: an entry can start at a plain word only along a
 * path of its first three units; one that ends (or leaves the letters) sooner allows whatever follows.
 */
function plainWordPrefixes(trie: Trie): Uint8Array {
  const table = new Uint8Array(PLAIN_SYMBOLS ** 3);
  const all = (x: number, y?: number) => {
    for (let b = y ?? 0; b <= (y ?? PLAIN_SYMBOLS - 1); b++) for (let z = 0; z < PLAIN_SYMBOLS; z++) table[plainPrefixIndex(x, b, z)] = 1;
  };
  for (let a = 0; a < 128; a++) {
    const n1 = trie.child(0, a);
    const x = PLAIN_SYMBOL[a]!;
    // A plain word starts with a letter; the trie holds letters in lower case.
    if (n1 < 0 || x === PLAIN_OTHER) continue;
    if (trie.terminal[n1] === 1) all(x);
    for (let b = 0; b < 128; b++) {
      const n2 = trie.child(n1, b);
      if (n2 < 0) continue;
      const y = PLAIN_SYMBOL[b]!;
      if (trie.terminal[n2] === 1 || y === PLAIN_OTHER) all(x, y);
      for (let c = 0; c < 128; c++) if (trie.child(n2, c) >= 0) table[plainPrefixIndex(x, y, PLAIN_SYMBOL[c]!)] = 1;
    }
  }
  return table;
}
