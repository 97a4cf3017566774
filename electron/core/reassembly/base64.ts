// Strict base64 decoding of binary-frame tokens into a reused buffer. Node's Buffer.from(s, 'base64')
// silently skips characters it does not know, which would hide a corrupted token; this refuses instead, and
// allocates nothing per token (tokens are 1–6 bytes; even a typed-array view costs more than decoding them).

// Indexed by UTF-16 code unit (any of them, so no range check per character): 6-bit value or -1.
const VALUES = new Int8Array(65536).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (VALUES[c.charCodeAt(0)] = i));
const PAD = 61; // '='

export interface Base64Decoder {
  /** Decodes into `bytes` (valid until the next call) and returns the byte count, or -1 if `s` is not base64. */
  decode(s: string): number;
  readonly bytes: Uint8Array;
}

export function createBase64Decoder(): Base64Decoder {
  let out = new Uint8Array(64);
  const decode = (s: string): number => {
    const n = s.length;
    if (n === 0) return 0;
    if (n % 4 !== 0) return -1;
    const pad = s.charCodeAt(n - 1) !== PAD ? 0 : s.charCodeAt(n - 2) !== PAD ? 1 : 2;
    const bytes = (n / 4) * 3 - pad;
    if (out.length < bytes + 2) out = new Uint8Array(2 * bytes + 2);
    let o = 0;
    let bad = 0;
    // Every group but the last is four alphabet characters.
    for (let i = 0; i < n - 4; i += 4) {
      const a = VALUES[s.charCodeAt(i)]!;
      const b = VALUES[s.charCodeAt(i + 1)]!;
      const c = VALUES[s.charCodeAt(i + 2)]!;
      const d = VALUES[s.charCodeAt(i + 3)]!;
      bad |= a | b | c | d;
      out[o++] = (a << 2) | (b >> 4);
      out[o++] = ((b & 15) << 4) | (c >> 2);
      out[o++] = ((c & 3) << 6) | d;
    }
    const a = VALUES[s.charCodeAt(n - 4)]!;
    const b = VALUES[s.charCodeAt(n - 3)]!;
    const c = pad === 2 ? 0 : VALUES[s.charCodeAt(n - 2)]!;
    const d = pad >= 1 ? 0 : VALUES[s.charCodeAt(n - 1)]!;
    bad |= a | b | c | d;
    if (bad < 0) return -1; // -1 has the sign bit; valid values are 0–63
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o] = ((c & 3) << 6) | d;
    return bytes;
  };
  return {
    decode,
    get bytes() {
      return out;
    },
  };
}
