// `diff` on real recordings from the demo simulator.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CassetteDiff } from '../../electron/core/recording/cassette-diff';
import { runCli } from '../core/recording/helpers/in-process-cli';

const dir = mkdtempSync(join(tmpdir(), 'diff-cli-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
const p = (n: string) => join(dir, n);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  writeFileSync(p('script.txt'), 'What is streaming?\n{"input":"card please","scenario":"pii"}\n');
  writeFileSync(p('other.txt'), 'What is streaming?\n{"input":"card please","scenario":"emoji-split"}\n');
  for (const [script, out, extra] of [
    ['script.txt', 'a.jsonl', []],
    ['script.txt', 'b.jsonl', []],
    ['other.txt', 'c.jsonl', []],
    ['script.txt', 'r.jsonl', ['--redact']],
  ] as const) {
    const r = await runCli(['record', '--env', 'demo', '--script', p(script), '--out', p(out), '--speed', '0', ...extra], { env });
    expect(r.code, r.stderr).toBe(0);
  }
});

describe('diff', () => {
  it('two runs of the same dialog are the same (exit 0); timing is shown but does not count', async () => {
    const r = await runCli(['diff', p('a.jsonl'), p('b.jsonl')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^turn 1 "What is streaming\?": same · \d+ tokens · TTFT \d+ ms → \d+ ms/m);
    expect(r.stdout).toMatch(/same: 2 turns match\n$/);
  });

  it('different answers: text diffs, token boundaries, hits gone, usage deltas; exit 1', async () => {
    const r = await runCli(['diff', p('a.jsonl'), p('c.jsonl')], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('turn 2 "card please": different');
    expect(r.stdout).toMatch(/filtered text \(similarity 0\.\d+\):\n {4}--- .*a\.jsonl\n {4}\+\+\+ .*c\.jsonl/);
    expect(r.stdout).toMatch(/raw text \(similarity/);
    expect(r.stdout).toMatch(/tokens: \d+ → \d+; cut added at/);
    expect(r.stdout).toMatch(/hit gone: {2}CREDIT_CARD \(mask\)/);
    expect(r.stdout).toMatch(/usage total: \d+ → \d+ \([+−]\d+\)/);
    expect(r.stdout).toMatch(/different: 1 of 2 turns differ\n$/);
  });

  it('--json prints the structured diff the app renders', async () => {
    const r = await runCli(['diff', p('a.jsonl'), p('r.jsonl'), '--json'], { env });
    const d = JSON.parse(r.stdout) as CassetteDiff;
    expect(d.headerChanges).toEqual(['redacted: false → true']);
    expect(d.turns[1]?.raw).toBeNull();
    expect(d.turns[1]?.filtered?.same).toBe(true);
    expect(r.code).toBe(d.same ? 0 : 1);
  });

  it('names the line of a corrupt cassette (exit 2) and warns about a truncated one', async () => {
    const lines = readFileSync(p('a.jsonl'), 'utf8').split('\n');
    writeFileSync(p('corrupt.jsonl'), [...lines.slice(0, 5), '{"type":"token","turnId":"x"}', ...lines.slice(5)].join('\n'));
    const bad = await runCli(['diff', p('a.jsonl'), p('corrupt.jsonl')], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/corrupt\.jsonl: line 6: invalid "token" event: at: /);
    writeFileSync(p('cut.jsonl'), lines.join('\n').slice(0, -40));
    const cut = await runCli(['diff', p('a.jsonl'), p('cut.jsonl')], { env });
    expect(cut.code).toBe(0); // only the last sync line was cut: the answers are the same
    expect(cut.stderr).toMatch(/cut\.jsonl: line \d+: truncated JSON \(file ends mid-line\)/);
    expect((await runCli(['diff', p('a.jsonl')], { env })).code).toBe(2);
  });
});
