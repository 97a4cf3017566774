import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBase64Decoder } from '../../../electron/core/reassembly/base64';

describe('strict base64 decoding', () => {
  const d = createBase64Decoder();
  const decode = (s: string): Uint8Array | null => {
    const n = d.decode(s);
    return n < 0 ? null : d.bytes.slice(0, n);
  };
  it('decodes what Buffer encodes, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const got = decode(Buffer.from(bytes).toString('base64'));
        expect(got && Buffer.from(got)).toEqual(Buffer.from(bytes));
      }),
      { seed: 99, numRuns: 500 },
    );
  });
  it('refuses what Buffer would silently skip', () => {
    for (const bad of ['@@@@', 'QQ=', 'Q===', 'QQ=A', 'QUJD\n', 'QU JD', '=QUJ', 'QUJDé===', 'QUJ-']) expect(decode(bad)).toBeNull();
  });
  it('empty is empty', () => {
    expect(decode('')?.length).toBe(0);
  });
});
