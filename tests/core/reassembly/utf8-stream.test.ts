import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { collectPieces, createUtf8StreamDecoder, type Utf8Piece } from '../../../electron/core/reassembly/utf8-stream';
import { cut, utf8, whatwgDecode } from './helpers';

function decodeChunks(chunks: Uint8Array[]): { text: string; pieces: Utf8Piece[] } {
  const d = createUtf8StreamDecoder();
  const pieces: Utf8Piece[] = [];
  const sink = collectPieces(pieces);
  for (const c of chunks) d.push(c, sink);
  d.flush(sink);
  return { text: pieces.map((p) => p.text).join(''), pieces };
}

function expectContiguous(pieces: Utf8Piece[], total: number): void {
  let pos = 0;
  for (const p of pieces) {
    expect(p.byteStart).toBe(pos);
    expect(p.byteEnd).toBeGreaterThan(p.byteStart);
    pos = p.byteEnd;
  }
  expect(pos).toBe(total);
}

describe('utf8 stream decoder', () => {
  const samples = ['é', '€', '한', '😀', '𝄞', 'a€b😀c'];
  for (const s of samples) {
    it(`joins ${JSON.stringify(s)} split at every byte position (and every pair of positions)`, () => {
      const bytes = utf8(s);
      for (let i = 0; i <= bytes.length; i++) {
        for (let j = i; j <= bytes.length; j++) {
          const { text, pieces } = decodeChunks([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
          expect(text).toBe(s);
          expect(pieces.some((p) => p.invalid)).toBe(false);
          expectContiguous(pieces, bytes.length);
        }
      }
    });
  }

  it('marks the piece that completes a character begun in an earlier chunk as carried', () => {
    const d = createUtf8StreamDecoder();
    const push = (bytes: number[]): Utf8Piece[] => {
      const out: Utf8Piece[] = [];
      d.push(new Uint8Array(bytes), collectPieces(out));
      return out;
    };
    expect(push([0x41, 0xf0, 0x9f])).toEqual([{ text: 'A', byteStart: 0, byteEnd: 1 }]);
    expect(d.held()).toBe(2);
    expect(d.heldStart()).toBe(1);
    expect(push([0x98])).toEqual([]);
    expect(push([0x80, 0x42])).toEqual([{ text: '😀B', byteStart: 1, byteEnd: 6, carried: true }]);
    expect(d.held()).toBe(0);
    const flushed: Utf8Piece[] = [];
    d.flush(collectPieces(flushed));
    expect(flushed).toEqual([]);
  });

  it('decodes long runs natively and short runs in JS to the same text', () => {
    const s = 'ascii and Grüße and 東京 and 😀🍕 '.repeat(5);
    for (const size of [1, 5, 31, 33, 200]) expect(decodeChunks(cut(utf8(s), [size])).text).toBe(s);
  });

  const invalid: Array<[string, number[]]> = [
    ['lone continuation byte', [0x41, 0x80, 0x42]],
    ['overlong 2-byte', [0xc0, 0xaf]],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf]],
    ['encoded surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['F5..FF', [0xf5, 0xff, 0xfe]],
    ['truncated 3-byte then ASCII', [0xe2, 0x82, 0x41]],
    ['truncated 4-byte then 4-byte', [0xf0, 0x9f, 0x98, 0xf0, 0x9f, 0x98, 0x80]],
    ['truncated at end', [0x41, 0xe2, 0x82]],
  ];
  for (const [name, raw] of invalid) {
    it(`replaces ${name} exactly like TextDecoder, at every split`, () => {
      const bytes = new Uint8Array(raw);
      const expected = whatwgDecode(bytes);
      for (let i = 0; i <= bytes.length; i++) {
        const { text, pieces } = decodeChunks([bytes.subarray(0, i), bytes.subarray(i)]);
        expect(text).toBe(expected);
        expectContiguous(pieces, bytes.length);
        expect(pieces.filter((p) => p.invalid).length).toBe([...expected].filter((c) => c === '\uFFFD').length);
      }
    });
  }

  it('locates invalid bytes by stream offset', () => {
    const { pieces } = decodeChunks([new Uint8Array([0x61, 0x62]), new Uint8Array([0x63, 0xff, 0x64])]);
    expect(pieces.filter((p) => p.invalid)).toEqual([{ text: '\uFFFD', byteStart: 3, byteEnd: 4, invalid: true }]);
  });

  it('keeps a BOM (byte for byte, unlike a default TextDecoder)', () => {
    expect(decodeChunks([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, 0x41])]).text).toBe('\uFEFFA');
  });

  it('does not keep the caller’s buffer: bytes held are copied', () => {
    const d = createUtf8StreamDecoder();
    const chunk = new Uint8Array([0xe2, 0x82]);
    const out: Utf8Piece[] = [];
    d.push(chunk, collectPieces(out));
    chunk.fill(0);
    d.push(new Uint8Array([0xac]), collectPieces(out));
    expect(out.map((p) => p.text).join('')).toBe('€');
  });

  it('property: any bytes, any chunking → same text as TextDecoder on the whole, byte ranges contiguous', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        (bytes, sizes) => {
          const { text, pieces } = decodeChunks(cut(bytes, sizes));
          expect(text).toBe(whatwgDecode(bytes));
          expectContiguous(pieces, bytes.length);
        },
      ),
      { seed: 20240601, numRuns: 2000 },
    );
  });

  it('property: biased towards multi-byte lead/continuation bytes', () => {
    const nasty = fc.constantFrom(0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff);
    fc.assert(
      fc.property(fc.array(nasty, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }), (arr, sizes) => {
        const bytes = new Uint8Array(arr);
        const { text, pieces } = decodeChunks(cut(bytes, sizes));
        expect(text).toBe(whatwgDecode(bytes));
        expectContiguous(pieces, bytes.length);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});
