// Reassembly throughput with realistic LLM tokens (1–6 characters, or 1–6 bytes for binary frames).
// Prints MB/s (UTF-8 bytes of the answer per second, including making the TokenEvents and the final text()) for text and binary tokens at two sizes, so a
// non-linear slowdown shows as a drop between them. Run: node --import tsx scripts/bench/reassembly.ts
import type { TokenEvent } from '../../shared/events';
import { createReassembler } from '../../electron/core/reassembly/reassembler';
import { createPrng } from '../../electron/core/simulator/prng';

const WORDS = ['the', 'answer', 'is', 'snake_case', '**bold**', '`code`', 'Grüße', '€12.50', 'naïve', '東京', '😀', '🍕', 'https://example.com/a_b', '3.14', '\n', '- item', 'and', 'a', 'card', 'number'];

function corpus(targetBytes: number, rand: () => number): string {
  const out: string[] = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    const w = WORDS[Math.floor(rand() * WORDS.length)]!;
    out.push(w, ' ');
    bytes += Buffer.byteLength(w) + 1;
  }
  return out.join('');
}

/** Token payloads (text slices or base64 of byte slices) as the frame parser would receive them. */
function payloads(text: string, binary: boolean, rand: () => number): string[] {
  const out: string[] = [];
  const src = binary ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < src.length; ) {
    const n = 1 + Math.floor(rand() * 6);
    out.push(binary ? (src as Buffer).subarray(i, i + n).toString('base64') : (src as string).slice(i, i + n));
    i += n;
  }
  return out;
}

function bench(label: string, text: string, tokens: string[], binary: boolean): void {
  const mb = Buffer.byteLength(text) / 1e6;
  const times: number[] = [];
  for (let round = 0; round < 7; round++) {
    let deltas = 0;
    const t0 = performance.now();
    const r = createReassembler({ onText: () => void deltas++ });
    // Events are made here, one per token, as the upstream client makes them while frames arrive.
    for (let index = 0; index < tokens.length; index++) {
      const ev: TokenEvent = { type: 'token', turnId: 't', at: index, index, origin: { frame: index, kind: binary ? 'binary' : 'text' } };
      if (binary) ev.bytes = tokens[index]!;
      else ev.text = tokens[index]!;
      r.feed(ev);
    }
    r.end(tokens.length);
    const out = r.text();
    times.push(performance.now() - t0);
    if (out !== text) throw new Error(`${label}: reassembled text differs from the original`);
    if (deltas === 0) throw new Error('no deltas');
  }
  times.sort((a, b) => a - b);
  const best = times[0]!;
  const median = times[3]!;
  console.log(
    `${label.padEnd(24)} ${mb.toFixed(1).padStart(4)} MB ${String(tokens.length).padStart(8)} tokens  ` +
      `best ${(mb / (best / 1000)).toFixed(1).padStart(5)} MB/s  median ${(mb / (median / 1000)).toFixed(1).padStart(5)} MB/s  ` +
      `(median ${((median * 1e6) / tokens.length).toFixed(0)} ns/token)`,
  );
}

/** The floor on this machine: append each token and make its delta, nothing else (no checks, no map). */
function baseline(text: string, tokens: string[]): void {
  const mb = Buffer.byteLength(text) / 1e6;
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    let sink = 0;
    const t0 = performance.now();
    const parts: string[] = [];
    let len = 0;
    const onText = (d: { start: number }): void => void (sink += d.start);
    for (let index = 0; index < tokens.length; index++) {
      const ev = { type: 'token', turnId: 't', at: index, index, text: tokens[index]!, origin: { frame: index, kind: 'text' } };
      parts.push(ev.text);
      onText({ start: len, text: ev.text, token: index, at: index } as { start: number });
      len += ev.text.length;
    }
    if (parts.join('').length !== text.length || sink < 0) throw new Error('baseline');
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${'baseline (bare append)'.padEnd(24)} ${mb.toFixed(1).padStart(4)} MB ${String(tokens.length).padStart(8)} tokens  best ${(mb / (best / 1000)).toFixed(1).padStart(5)} MB/s`);
}

const rand = createPrng(1).next;
for (const size of [1e6, 4e6]) {
  const text = corpus(size, rand);
  const textTokens = payloads(text, false, rand);
  baseline(text, textTokens);
  bench('text tokens 1–6 chars', text, textTokens, false);
  bench('binary tokens 1–6 bytes', text, payloads(text, true, rand), true);
}
