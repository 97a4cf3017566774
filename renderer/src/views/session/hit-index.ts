// A turn's hits looked up by position for the lanes. Cutting a row into pieces asks which hits overlap it and
// maps each token boundary between raw and filtered offsets; over the whole list of hits that is rows × tokens
// × hits per frame, which grows with a long answer full of detections. The filter releases its replacements in
// text order, so the hits are sorted and disjoint in both texts: binary searches over prefix sums answer the
// same questions in log time. A list that is not (never seen, but not ruled out by the events) gets the plain
// scans, whose answers these equal (tests/renderer/views/hit-index.test.ts).
import type { FilterHit } from '../../../../shared/events';
import { rawToFiltered as scanRawToFiltered } from '../../store/turn-model';

interface Index {
  /** Sum over the hits before i of (replacement length − raw length); length n + 1. */
  delta: number[];
}

const indexes = new WeakMap<readonly FilterHit[], { n: number; index: Index | undefined }>();

function indexOf(hits: readonly FilterHit[]): Index | undefined {
  const known = indexes.get(hits);
  if (known && known.n === hits.length) return known.index;
  // Hit lists only grow (in place): an index of fewer hits is extended; an unsorted prefix stays unsorted.
  let index: Index | undefined = known ? known.index : { delta: [0] };
  if (index) {
    for (let i = known ? known.n : 0; i < hits.length; i++) {
      const h = hits[i]!;
      const prev = hits[i - 1];
      if (prev && (h.rawStart < prev.rawEnd || h.outStart < prev.outEnd)) {
        index = undefined;
        break;
      }
      index.delta.push(index.delta[i]! + (h.outEnd - h.outStart) - (h.rawEnd - h.rawStart));
    }
  }
  indexes.set(hits, { n: hits.length, index });
  return index;
}

/** Index of the first hit whose `end` is past `pos` (hits sorted). */
function firstEndingAfter(hits: readonly FilterHit[], pos: number, end: 'rawEnd' | 'outEnd'): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[mid]![end] <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** turn-model's rawToFiltered: a raw offset in the filtered text, undefined inside a replacement. */
export function rawToFiltered(hits: readonly FilterHit[], pos: number): number | undefined {
  const index = indexOf(hits);
  if (!index) return scanRawToFiltered(hits, pos);
  const k = firstEndingAfter(hits, pos, 'rawEnd');
  const h = hits[k];
  if (h && h.rawStart < pos) return undefined;
  return pos + index.delta[k]!;
}

/** Raw offset of a filtered offset (inside a replacement: the hit's raw start). */
export function filteredToRaw(hits: readonly FilterHit[], pos: number): number {
  const index = indexOf(hits);
  if (!index) {
    let delta = 0;
    for (const h of hits) {
      if (h.outEnd <= pos) delta += h.rawEnd - h.rawStart - (h.outEnd - h.outStart);
      else if (h.outStart <= pos) return h.rawStart;
    }
    return pos + delta;
  }
  const k = firstEndingAfter(hits, pos, 'outEnd');
  const h = hits[k];
  if (h && h.outStart <= pos) return h.rawStart;
  return pos - index.delta[k]!;
}

/** The hit a raw offset falls strictly inside, if any. */
export function hitAroundRaw(hits: readonly FilterHit[], pos: number): FilterHit | undefined {
  if (!indexOf(hits)) return hits.find((h) => h.rawStart < pos && h.rawEnd > pos);
  const h = hits[firstEndingAfter(hits, pos, 'rawEnd')];
  return h && h.rawStart < pos ? h : undefined;
}

/** Hits overlapping raw [a, b), in order. */
export function hitsInRaw(hits: readonly FilterHit[], a: number, b: number): FilterHit[] {
  if (!indexOf(hits)) return hits.filter((h) => h.rawEnd > a && h.rawStart < b);
  const out: FilterHit[] = [];
  for (let i = firstEndingAfter(hits, a, 'rawEnd'); i < hits.length && hits[i]!.rawStart < b; i++) out.push(hits[i]!);
  return out;
}

/** Replacements (non-empty) overlapping filtered [a, b), in order. */
export function hitsInFiltered(hits: readonly FilterHit[], a: number, b: number): FilterHit[] {
  if (!indexOf(hits)) return hits.filter((h) => h.outEnd > a && h.outStart < b && h.outEnd > h.outStart);
  const out: FilterHit[] = [];
  for (let i = firstEndingAfter(hits, a, 'outEnd'); i < hits.length && hits[i]!.outStart < b; i++) if (hits[i]!.outEnd > hits[i]!.outStart) out.push(hits[i]!);
  return out;
}
