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
  /** The raw reassembled answer. */
  completion: string;
}

export function promptTokens(tokenizer: Tokenizer, prompt: string): number {
  return TOKENS_PER_MESSAGE + tokenizer.count(USER_ROLE) + tokenizer.count(prompt) + TOKENS_REPLY_PRIMING;
}

export function estimateUsage(input: UsageInput): { usage: TokenUsage; encoding: EncodingName } {
  const tokenizer = tokenizerForModel(input.model);
  const prompt = promptTokens(tokenizer, input.prompt);
  const completion = tokenizer.count(input.completion);
  return { usage: { prompt, completion, total: prompt + completion }, encoding: tokenizer.encoding };
}
