// Shared helpers of the filter tests: run a text whole or in given chunks, and read hits back as values
// (tests only: the product never puts a detected value in a hit).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compilePolicy, createFilter, filterText, type CompiledPolicy, type FilterChunk, type Hit, type Policy } from '../../../electron/core/filters';

let defaultCompiled: CompiledPolicy | undefined;
export function defaultPolicy(): CompiledPolicy {
  defaultCompiled ??= compilePolicy();
  return defaultCompiled;
}

export const SALT = 'test-salt';

/** [type, value] of every hit of the whole-text filter. */
export function detect(text: string, policy?: CompiledPolicy | Policy): Array<[string, string]> {
  const cp = !policy ? defaultPolicy() : 'detectors' in policy ? policy : compilePolicy(policy);
  return filterText(cp, text, { hashSalt: SALT }).hits.map((h) => [h.type, text.slice(h.start, h.end)]);
}

export function types(text: string): string[] {
  return detect(text).map(([t]) => t);
}

export interface Streamed {
  output: string;
  hits: Hit[];
  chunks: FilterChunk[];
  blocked?: { type: string };
}

export function stream(cp: CompiledPolicy, parts: readonly string[], salt = SALT): Streamed {
  const f = createFilter(cp, { hashSalt: salt });
  const chunks: FilterChunk[] = [];
  let blocked: { type: string } | undefined;
  for (const p of parts) {
    const c = f.feed(p);
    chunks.push(c);
    blocked ??= c.blocked;
  }
  const last = f.end();
  chunks.push(last);
  blocked ??= last.blocked;
  return { output: chunks.map((c) => c.text).join(''), hits: chunks.flatMap((c) => c.hits), chunks, ...(blocked ? { blocked } : {}) };
}

/** Splits `text` at the given offsets (sorted, deduplicated, within range). */
export function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(text.length, c))))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

export interface CorpusLine {
  id: string;
  chunks: string[];
  expect: Array<{ type: string; value: string }>;
}

export function loadCorpus(): CorpusLine[] {
  const path = fileURLToPath(new URL('../../fixtures/filters/corpus.jsonl', import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusLine);
}
