// The lanes' hit lookups (views/session/hit-index.ts) answer exactly what a scan over all hits answers, for
// sorted hit lists (what the filter releases: binary searches) and for unsorted ones (the scan itself), also
// while a list grows in place between lookups, as the store's lists do within a batch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FilterHit } from '../../../shared/events';
import { rawToFiltered as scanRawToFiltered } from '../../../renderer/src/store/turn-model';
import { filteredToRaw, hitAroundRaw, hitsInFiltered, hitsInRaw, rawToFiltered } from '../../../renderer/src/views/session/hit-index';

const scanFilteredToRaw = (hits: readonly FilterHit[], pos: number) => {
  let delta = 0;
  for (const h of hits) {
    if (h.outEnd <= pos) delta += h.rawEnd - h.rawStart - (h.outEnd - h.outStart);
    else if (h.outStart <= pos) return h.rawStart;
  }
  return pos + delta;
};

/** Sorted, disjoint hits built from gaps and lengths (a replacement may be empty, longer or shorter). */
const sortedHits = fc.array(fc.record({ gap: fc.nat(6), raw: fc.nat(5), out: fc.nat(9) }), { maxLength: 12 }).map((parts) => {
  let r = 0;
  let o = 0;
  return parts.map((p): FilterHit => {
    r += p.gap;
    o += p.gap;
    const h: FilterHit = { type: 'X', action: 'mask', rawStart: r, rawEnd: r + p.raw, outStart: o, outEnd: o + p.out };
    r += p.raw;
    o += p.out;
    return h;
  });
});

function sameAnswers(hits: FilterHit[]): void {
  for (let pos = 0; pos < 90; pos++) {
    expect(rawToFiltered(hits, pos)).toBe(scanRawToFiltered(hits, pos));
    expect(filteredToRaw(hits, pos)).toBe(scanFilteredToRaw(hits, pos));
    expect(hitAroundRaw(hits, pos)).toBe(hits.find((h) => h.rawStart < pos && h.rawEnd > pos));
    for (const len of [0, 1, 4, 30]) {
      expect(hitsInRaw(hits, pos, pos + len)).toEqual(hits.filter((h) => h.rawEnd > pos && h.rawStart < pos + len));
      expect(hitsInFiltered(hits, pos, pos + len)).toEqual(hits.filter((h) => h.outEnd > pos && h.outStart < pos + len && h.outEnd > h.outStart));
    }
  }
}

describe('hit lookups for the lanes', () => {
  it('sorted hits, growing in place: the same answers as a scan', () => {
    fc.assert(
      fc.property(sortedHits, fc.nat(12), (all, cut) => {
        const hits = all.slice(0, Math.min(cut, all.length));
        sameAnswers(hits);
        hits.push(...all.slice(hits.length));
        sameAnswers(hits);
      }),
      { numRuns: 60 },
    );
  });

  it('unsorted or overlapping hits: the same answers as a scan', () => {
    fc.assert(
      fc.property(sortedHits, fc.nat(11), (all, swap) => {
        fc.pre(all.length >= 2);
        const i = swap % (all.length - 1);
        const hits = [...all];
        [hits[i], hits[i + 1]] = [hits[i + 1]!, hits[i]!];
        sameAnswers(hits);
        // An overlapping pair.
        sameAnswers([...all, { ...all[0]!, rawEnd: all[0]!.rawEnd + 50 }]);
      }),
      { numRuns: 60 },
    );
  });
});
