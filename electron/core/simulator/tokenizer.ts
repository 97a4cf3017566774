// Cuts answer text the way a real model emits it: by the o200k_base BPE vocabulary (gpt-tokenizer), so
// fragments split words, numbers, e-mail addresses and emoji exactly where GPT-4o-class models split them.
// Must never invent its own splitting rules: scenario-specific cuts (lone surrogates, bytes inside a
// character) are made by the scenario code on top of these real token boundaries.
import { createRequire } from 'node:module';

export const ENCODING = 'o200k_base';

// Required as CommonJS, as the usage estimator loads it (core/usage/encoding.ts): one module instance for
// both, so a demo run loads the 200k-entry vocabulary once (~15 MB, ~0.4 s of CPU), not once per module
// format. Loaded with this module, as the ESM import was: never in the middle of a simulated answer.
const requireCjs = createRequire(import.meta.url);
const { encode } = requireCjs('gpt-tokenizer/encoding/o200k_base') as { encode(text: string): number[] };
const bpeRanks = (requireCjs('gpt-tokenizer/bpeRanks/o200k_base') as { default: ReadonlyArray<string | number[]> }).default;

const utf8 = new TextEncoder();
const strict = new TextDecoder('utf-8', { fatal: true });

/** Number of BPE tokens in `text` (what the gateway reports as prompt/completion tokens). */
export function countTokens(text: string): number {
  return encode(text).length;
}

/**
 * What an OpenAI-style chat completion reports as `prompt_tokens` for a single user message: the message's
 * framing (3 tokens), its role, its content, and the 3 tokens that prime the reply. A real gateway adds the
 * LLM node's system prompt on top; the simulator has none, so a client's estimate should match it exactly.
 */
export function chatPromptTokens(content: string): number {
  return 3 + USER_ROLE_TOKENS + countTokens(content) + 3;
}
const USER_ROLE_TOKENS = countTokens('user');

/** The BPE token ids of `text`. */
export function tokenIds(text: string): number[] {
  return encode(text);
}

function entryOf(id: number): string | number[] {
  const entry = bpeRanks[id];
  if (entry === undefined) throw new Error(`token ${id} is not in the ${ENCODING} vocabulary`);
  return entry;
}

/** The raw UTF-8 bytes of each BPE token; a token may hold part of a multi-byte character. */
export function bytePieces(text: string): Uint8Array[] {
  return bytesOfIds(tokenIds(text));
}

export function bytesOfIds(ids: readonly number[]): Uint8Array[] {
  return ids.map((id) => {
    const entry = entryOf(id);
    return typeof entry === 'string' ? utf8.encode(entry) : Uint8Array.from(entry);
  });
}

/**
 * textPieces of the text these ids encode. A vocabulary entry is a string exactly when its bytes are whole
 * UTF-8, so when every entry is one, the pieces are the entries themselves (nothing to join): the common
 * case, without encoding and decoding every token (issue 13: the simulator's share of a fast replay).
 */
export function textOfIds(ids: readonly number[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const entry = entryOf(id);
    if (typeof entry !== 'string') return joinToText(bytesOfIds(ids));
    out.push(entry);
  }
  return out;
}

/** Length of the longest prefix of `bytes` that ends on a UTF-8 character boundary. */
export function completePrefixLength(bytes: Uint8Array): number {
  const n = bytes.length;
  // Look back at most 3 bytes for the lead byte of the last character.
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = bytes[n - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need <= back ? n : n - back;
  }
  return n;
}

/**
 * Token texts as a text-frame gateway sends them: one string per BPE token, except that a token holding only
 * part of a character is joined with the following one(s) until the character is whole (a JSON string
 * cannot carry half a UTF-8 sequence). Concatenated, they are exactly `text`.
 */
export function textPieces(text: string): string[] {
  return textOfIds(tokenIds(text));
}

/** Byte pieces → text pieces, joining a piece that ends inside a character with the next one(s). */
export function joinToText(pieces: Uint8Array[]): string[] {
  const out: string[] = [];
  let pending: Uint8Array = new Uint8Array(0);
  for (const piece of pieces) {
    const joined = pending.length ? concat(pending, piece) : piece;
    const cut = completePrefixLength(joined);
    if (cut === 0) {
      pending = joined;
      continue;
    }
    out.push(strict.decode(joined.subarray(0, cut)));
    pending = joined.slice(cut);
  }
  if (pending.length) out.push(strict.decode(pending));
  return out;
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length + b.length);
  r.set(a, 0);
  r.set(b, a.length);
  return r;
}
