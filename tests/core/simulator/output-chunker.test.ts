// Cognigy's stream buffer: flush at . ! ? \n unless a flush override matches the buffer's end.
import { describe, expect, it } from 'vitest';
import { compileFlushOverrides, createOutputChunker, DEFAULT_FLUSH_OVERRIDES } from '../../../electron/core/simulator/output-chunker';
import { bytePieces, joinToText } from '../../../electron/core/simulator/tokenizer';

/** Chunks of `text` cut by the real BPE tokenizer, as the LLM Prompt node would flush them. */
function chunksOf(text: string, overrides?: string[]): string[] {
  const c = createOutputChunker(overrides ? compileFlushOverrides(overrides) : undefined);
  const out = joinToText(bytePieces(text)).flatMap((t) => c.feed(t));
  const rest = c.end();
  return rest ? [...out, rest] : out;
}

describe('flush overrides (defaults)', () => {
  it('keeps a decimal number, titles, single capitals, an ellipsis and i.e./e.g. in one chunk', () => {
    expect(chunksOf('Quick check: 2*3 = 6, and 3.14 is close to pi. Next.')).toEqual(['Quick check: 2*3 = 6, and 3.14 is close to pi.', ' Next.']);
    expect(chunksOf('Mr. Smith and Dr. Who, i.e. the U.S. team... e.g. this. Done!')).toEqual(['Mr. Smith and Dr. Who, i.e. the U.S. team... e.g. this.', ' Done!']);
    expect(chunksOf('1. First\n2. Second\n')).toEqual(['1. First\n', '2. Second\n']);
  });

  it('still splits an e-mail address at its dot, and flushes at ! ? and newline', () => {
    expect(chunksOf('E-mail: jane.doe@example.com\nThanks!')).toEqual(['E-mail: jane.d', 'oe@example.com', '\n', 'Thanks!']);
    expect(chunksOf('Really? Yes! Ok')).toEqual(['Really?', ' Yes!', ' Ok']);
  });

  it('custom overrides replace the defaults: each gets a trailing $', () => {
    // Without the number override, the decimal splits as a naive flush would.
    expect(chunksOf('Pi is 3.14 today.', ['Dr\\.'])).toEqual(['Pi is 3.', '14 today.']);
    // An override for dotted words keeps the address whole.
    expect(chunksOf('Mail jane.doe@example.com now.', [...DEFAULT_FLUSH_OVERRIDES, '[a-z]+\\.[a-z]*'])).toEqual(['Mail jane.doe@example.com now.']);
  });

  it('refuses an invalid override with an error naming it', () => {
    expect(() => compileFlushOverrides(['\\d+\\.', '(unclosed'])).toThrow(/flush override 2 \("\(unclosed"\) is not a valid regular expression/);
    expect(() => compileFlushOverrides([''])).toThrow(/flush override 1 must be a non-empty/);
  });
});
