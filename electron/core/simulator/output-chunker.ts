// Socket endpoint output chunking as Cognigy's LLM Prompt / AI Agent nodes do it with "Stream to Output":
// tokens are buffered and the buffer is flushed each time a token holds a flush character (. ! ? or a
// newline) — unless a "Stream Buffer Flush Override" matches the end of the buffer. Overrides are regex
// sources that get a trailing `$`; the defaults keep numbers ("3." of 3.14), titles ("Dr."), single
// capitals ("U.S."), an ellipsis and i.e. / e.g. together, so a decimal does not split but an e-mail
// address (".d" of jane.doe) still does.
// A feed/end state machine: no I/O. Must never lose or reorder text, and never end a chunk between the two
// halves of a surrogate pair (Cognigy flushes JavaScript strings of whole characters).

const FLUSH = /[.!?\n]/;

/**
 * The default overrides, as regex sources without the trailing `$` (which is added, as Cognigy does).
 * Written for this simulator from the documented behaviour, in the node's own form.
 */
export const DEFAULT_FLUSH_OVERRIDES: readonly string[] = Object.freeze([
  // a number followed by a dot: "3." of "3.14", "1." of a numbered list
  '\\d+\\.',
  // titles
  '(?<![\\p{L}\\p{N}])(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St)\\.',
  // single capitals and their runs: "U.", "U.S", "U.S."
  '(?<![\\p{L}\\p{N}])\\p{Lu}\\.(?:\\p{Lu}\\.?)*',
  // an ellipsis
  '\\.\\.\\.',
  // i.e. and e.g., while they arrive ("i.e", "e.g.")
  '(?<![\\p{L}\\p{N}])(?:[iI]\\.[eE]|[eE]\\.[gG])\\.?',
]);

/** Only this much of the buffer's end is tested: overrides look at the last few characters. */
const OVERRIDE_WINDOW = 64;

/** Compiles override sources (each gets `$`); a clear error naming the bad one. */
export function compileFlushOverrides(sources: readonly string[]): RegExp[] {
  return sources.map((src, i) => {
    if (typeof src !== 'string' || src === '') throw new RangeError(`flush override ${i + 1} must be a non-empty regular expression`);
    try {
      return new RegExp(`(?:${src})$`, 'u');
    } catch (err) {
      throw new RangeError(`flush override ${i + 1} (${JSON.stringify(src)}) is not a valid regular expression: ${(err as Error).message}`);
    }
  });
}

export interface OutputChunker {
  /** Adds a token; returns the chunks to emit now (zero or one). */
  feed(token: string): string[];
  /** The rest of the buffer (possibly empty): the text of the final chunk. */
  end(): string;
}

export function createOutputChunker(overrides: readonly RegExp[] = compileFlushOverrides(DEFAULT_FLUSH_OVERRIDES)): OutputChunker {
  let buffer = '';
  const held = (): boolean => {
    const tail = buffer.length > OVERRIDE_WINDOW ? buffer.slice(-OVERRIDE_WINDOW) : buffer;
    return overrides.some((re) => re.test(tail));
  };
  return {
    feed(token) {
      buffer += token;
      if (!FLUSH.test(token) || held()) return [];
      let cut = buffer.length;
      const last = buffer.charCodeAt(cut - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut--; // keep a lone high surrogate for the next chunk
      const chunk = buffer.slice(0, cut);
      buffer = buffer.slice(cut);
      return chunk ? [chunk] : [];
    },
    end() {
      const rest = buffer;
      buffer = '';
      return rest;
    },
  };
}
