// The lint rules can fail: every fixture under tests/lint/fixtures/<layer>/ breaks one rule (its first line
// says which, "expect: rule, rule"), is linted with the project's own eslint.config.js through ESLint's Node
// API as a file of that layer, and must report exactly those rules. Each layer also has an `allowed` fixture
// that imports what the layer may, and must report nothing (an allow-list that refuses everything is wrong too).
// The fixtures have their own tsconfig.json (extending the root one) so the type-aware rules build a small program.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const FIXTURES = join(__dirname, 'fixtures');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const fixtures = walk(FIXTURES).filter((f) => /\.tsx?$/.test(f)).sort();
const expected = (file: string): string[] => {
  const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
  const m = /^\/\/ expect: (.*)$/.exec(first);
  if (!m) throw new Error(`${file}: the first line must say "// expect: rule, rule" or "// expect: (nothing)"`);
  return m[1] === '(nothing)' ? [] : m[1]!.split(',').map((r) => r.trim()).sort();
};

let results: Map<string, ESLint.LintResult>;

beforeAll(async () => {
  // The fixtures are ignored by `npm run lint` (they are meant to fail); here they are linted on purpose.
  const eslint = new ESLint({ cwd: ROOT, ignore: false });
  results = new Map((await eslint.lintFiles(fixtures)).map((r) => [r.filePath, r]));
}, 240_000);

describe('lint rules fire on the fixtures that break them', () => {
  it('covers every layer, each with an allowed fixture and at least one that breaks the allow-list', () => {
    const layers = ['shared', 'renderer', 'electron/preload', 'electron/core', 'electron/cli', 'electron/main'];
    for (const layer of layers) {
      const own = fixtures.filter((f) => relative(FIXTURES, f).startsWith(`${layer}/`));
      expect(own.some((f) => f.includes('/allowed.')), layer).toBe(true);
      expect(own.some((f) => expected(f).includes('layers/allowed-imports')), layer).toBe(true);
    }
  });

  it.each(fixtures.map((f) => [relative(FIXTURES, f), f]))('%s', (_name, file) => {
    const result = results.get(file);
    expect(result, 'linted').toBeDefined();
    const fatal = result!.messages.filter((m) => m.fatal);
    expect(fatal, 'parsed').toEqual([]);
    expect([...new Set(result!.messages.map((m) => m.ruleId))].sort()).toEqual(expected(file));
  });

  it('says what the layer may import', () => {
    const message = (name: string) => results.get(join(FIXTURES, name))!.messages.find((m) => m.ruleId === 'layers/allowed-imports')?.message;
    expect(message('renderer/imports-core.tsx')).toBe('renderer/ may import shared/, react, react-dom, zustand and renderer/ itself only — not "../../../../electron/core/fallbacks".');
    expect(message('electron/preload/imports-shell.ts')).toBe('electron/preload/ may import only contextBridge, ipcRenderer from "electron" — not shell.');
    expect(message('shared/computed-import.ts')).toMatch(/computed module specifier/);
  });
});
