// Token usage estimated with the model's real tokenizer, for when the upstream reports none (the socket
// endpoint never does; the gateway sometimes omits it) and to check the counts it does report.
// Never a characters-divided-by-four guess.
//
// What is counted, so a drift can be explained:
// - completion: the tokens of the answer text exactly as reassembled (raw, before any filtering);
// - prompt: the tokens of the user's input plus OpenAI's chat framing for one user message, as in OpenAI's
//   cookbook "How to count tokens with tiktoken" (and gpt-tokenizer's encodeChat): 3 tokens per message,
//   the role name ("user", 1 token), and 3 tokens priming the reply (<|start|>assistant<|message|>) —
//   i.e. input + 7. The system prompt, knowledge, tools and history that a Cognigy LLM node adds upstream are
//   not visible to this client, so a reported prompt count above the estimate is expected and is what the
//   drift flag is for.
import type { TokenUsage } from '../../../shared/events';
import { tokenizerForModel, type EncodingName, type Tokenizer } from './encoding';

/** Chat framing around a message (per message) and priming the reply (once), in tokens. */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_REPLY_PRIMING = 3;
const USER_ROLE = 'user';

export interface UsageInput {
  model: string;
  /** The user's input as sent upstream. */
  prompt: string;
  /** The raw reassembled answer, or its count so far (counted as it arrived, see createCompletionCounter). */
  completion: string | CompletionCounter;
}

export function promptTokens(tokenizer: Tokenizer, prompt: string): number {
  return TOKENS_PER_MESSAGE + tokenizer.count(USER_ROLE) + tokenizer.count(prompt) + TOKENS_REPLY_PRIMING;
}

export function estimateUsage(input: UsageInput): { usage: TokenUsage; encoding: EncodingName } {
  const tokenizer = tokenizerForModel(input.model);
  const prompt = promptTokens(tokenizer, input.prompt);
  const c = input.completion;
  if (typeof c !== 'string' && c.encoding !== tokenizer.encoding) throw new Error(`completion counted with ${c.encoding}, model ${input.model} uses ${tokenizer.encoding}`);
  const completion = typeof c === 'string' ? tokenizer.count(c) : c.count();
  return { usage: { prompt, completion, total: prompt + completion }, encoding: tokenizer.encoding };
}

/**
 * The completion count of an answer that arrives in pieces, counted as it grows, so the end of a long turn
 * does not tokenize the whole answer in one block (issue 13). Exact, not an approximation: BPE encodes each
 * piece of the encodings' pre-tokenizer split on its own, and both split patterns (cl100k_base, o200k_base;
 * no look-behind) always end a piece at an ASCII letter followed by a space and at a newline followed by an
 * ASCII letter or digit. Counting the text before such a boundary and the text after it separately
 * therefore gives the count of the whole (property-tested against counting the whole text).
 */
export interface CompletionCounter {
  add(text: string): void;
  /** Tokens of everything added so far. */
  count(): number;
  readonly encoding: EncodingName;
}

/** Pending text worth counting (and the most one add() counts at once, a few ms at most). */
const COUNT_BLOCK = 4096;

export function createCompletionCounter(tokenizer: Tokenizer, block = COUNT_BLOCK): CompletionCounter {
  let pending = '';
  let settled = 0;
  /** pending has no safe split at or before this index (so a text without one is searched once, not per add). */
  let searched = 0;
  return {
    encoding: tokenizer.encoding,
    add(text) {
      pending += text;
      if (pending.length - searched < block) return;
      const cut = lastSafeSplit(pending, searched);
      searched = pending.length - 1;
      if (cut === 0) return;
      settled += tokenizer.count(pending.slice(0, cut));
      pending = pending.slice(cut);
      searched = 0;
    },
    count: () => settled + tokenizer.count(pending),
  };
}

const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAsciiDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The last index after `from` where `text` can be cut without changing its token count (0: none). */
export function lastSafeSplit(text: string, from = 0): number {
  for (let i = text.length - 1; i > from && i > 0; i--) {
    const c = text.charCodeAt(i);
    const p = text.charCodeAt(i - 1);
    if (c === 32 && isAsciiLetter(p)) return i;
    if (p === 10 && (isAsciiLetter(c) || isAsciiDigit(c))) return i;
  }
  return 0;
}
