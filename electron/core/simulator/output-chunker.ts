// Socket endpoint output chunking as Cognigy's LLM Prompt / AI Agent nodes do it with "Stream to Output":
// tokens are buffered and flushed each time a token holds a flush character (. ! ? or a newline), so a
// chunk is usually a sentence and a dot inside an e-mail address or 3.14 splits it.
// A feed/end state machine: no I/O. Must never lose or reorder text, and never end a chunk between the two
// halves of a surrogate pair (Cognigy flushes JavaScript strings of whole characters).

const FLUSH = /[.!?\n]/;

export interface OutputChunker {
  /** Adds a token; returns the chunks to emit now (zero or one). */
  feed(token: string): string[];
  /** The rest of the buffer (possibly empty): the text of the final chunk. */
  end(): string;
}

export function createOutputChunker(): OutputChunker {
  let buffer = '';
  return {
    feed(token) {
      buffer += token;
      if (!FLUSH.test(token)) return [];
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
