// Which BPE encoding a model uses, and the tokenizer for it, loaded on first use: the encodings' rank tables
// take 100–200 ms to load, which app and CLI start-up must not pay for a number needed only at turn end.
// Never guesses silently: the encoding used is returned with every estimate.
import { createRequire } from 'node:module';

export const ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type EncodingName = (typeof ENCODINGS)[number];

export interface Tokenizer {
  readonly encoding: EncodingName;
  /** Tokens of plain text. Special-token strings such as "<|endoftext|>" count as the text they are. */
  count(text: string): number;
}

/**
 * o200k_base: gpt-4o, chatgpt-4o, gpt-4.1, gpt-4.5, gpt-5, gpt-oss and the o-series (o1, o3, o4-mini, …);
 * cl100k_base: gpt-4, gpt-3.5 and everything else (including unknown names and Azure deployment names that do
 * not contain the model name). A provider prefix (`openai/`, `azure:`) or fine-tune wrapper (`ft:gpt-4o:…`)
 * does not hide the model.
 */
export function encodingForModel(model: string): EncodingName {
  const segments = model.trim().toLowerCase().split(/[/:\s@]+/);
  return segments.some((s) => O200K.test(s)) ? 'o200k_base' : 'cl100k_base';
}

const O200K = /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o[1-9])(?:[-._]|$)/;

// No special token is treated as one: the text is whatever the model said or was sent.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

interface EncodingModule {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

const loaded = new Map<EncodingName, Tokenizer>();
let requireFn: NodeRequire | undefined;

/** The tokenizer for an encoding; the first call per encoding loads it synchronously. */
export function loadTokenizer(encoding: EncodingName): Tokenizer {
  let t = loaded.get(encoding);
  if (!t) {
    requireFn ??= createRequire(import.meta.url);
    const mod = requireFn(`gpt-tokenizer/encoding/${encoding}`) as EncodingModule;
    t = { encoding, count: (text) => (text.length === 0 ? 0 : mod.countTokens(text, PLAIN_TEXT)) };
    loaded.set(encoding, t);
  }
  return t;
}

export const tokenizerForModel = (model: string): Tokenizer => loadTokenizer(encodingForModel(model));
