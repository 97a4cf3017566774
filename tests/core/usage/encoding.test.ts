import { describe, expect, it } from 'vitest';
import { encodingForModel, loadTokenizer } from '../../../electron/core/usage/encoding';

describe('encoding by model', () => {
  const o200k = ['gpt-4o', 'gpt-4o-mini', 'GPT-4o-2024-08-06', 'chatgpt-4o-latest', 'gpt-4.1', 'gpt-4.1-nano', 'gpt-4.5-preview', 'gpt-5', 'gpt-5-mini', 'gpt-oss-20b', 'o1', 'o1-mini', 'o3-mini', 'o4-mini', 'openai/gpt-4o', 'azure:gpt-4o-mini', 'ft:gpt-4o-mini:acme::abc123'];
  const cl100k = ['gpt-4', 'gpt-4-turbo', 'gpt-4-32k', 'gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'text-embedding-ada-002', 'my-deployment', '', 'claude-3-opus', 'gpt-40', 'o', 'foo1'];
  for (const m of o200k) it(`${JSON.stringify(m)} → o200k_base`, () => expect(encodingForModel(m)).toBe('o200k_base'));
  for (const m of cl100k) it(`${JSON.stringify(m)} → cl100k_base`, () => expect(encodingForModel(m)).toBe('cl100k_base'));
});

describe('tokenizers', () => {
  it('count real BPE tokens, differently per encoding', () => {
    const cl = loadTokenizer('cl100k_base');
    const o = loadTokenizer('o200k_base');
    expect(cl.count('')).toBe(0);
    expect(cl.count('Hello world')).toBe(2);
    expect(o.count('Hello world')).toBe(2);
    // Non-English text separates the two vocabularies.
    const ru = 'Привет, как дела? Сегодня хорошая погода.';
    expect(o.count(ru)).toBeLessThan(cl.count(ru));
  });

  it('counts special-token strings as the text they are instead of throwing', () => {
    const cl = loadTokenizer('cl100k_base');
    expect(cl.count('<|endoftext|>')).toBeGreaterThan(1);
  });

  it('loads each encoding once', () => {
    expect(loadTokenizer('cl100k_base')).toBe(loadTokenizer('cl100k_base'));
  });
});
