// The run history store on a real file system: newest first, bounded, shared by writers that race
// (two stores, as the app and a CLI run would be), and a damaged file costs only its own recording.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CassetteReplayResult } from '../../../electron/core/recording/replay-runner';
import { createRunHistory, HistoryFileError, isRun, runEntryOf, type RunEntry } from '../../../electron/core/recording/run-history';

const dir = mkdtempSync(join(tmpdir(), 'run-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (i: number, ok = true): RunEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  environment: i % 2 ? 'staging' : 'demo',
  source: 'cli',
  ok,
  turns: { total: 2, passed: ok ? 2 : 1, failed: ok ? 0 : 1, errors: 0 },
  checks: { text: { passed: ok ? 2 : 1, failed: ok ? 0 : 1 } },
  durationMs: 12,
});

describe('run history', () => {
  it('lists a recording’s runs newest first, keeps only the last ones, and [] for a recording never run', async () => {
    const data = join(dir, 'a');
    const h = createRunHistory(data, { limit: 3 });
    const cassette = join(dir, 'one.jsonl');
    writeFileSync(cassette, '');
    for (let i = 0; i < 5; i++) await h.append(cassette, entry(i, i !== 3));
    const runs = await h.list(cassette);
    expect(runs.map((r) => r.at)).toEqual([entry(4).at, entry(3).at, entry(2).at]);
    expect(runs[1]).toMatchObject({ ok: false, turns: { failed: 1 } });
    expect(await h.list(join(dir, 'never.jsonl'))).toEqual([]);
    // Relative and absolute paths of the same file are the same recording.
    const rel = join('.', cassette.slice(process.cwd().length + 1));
    if (cassette.startsWith(process.cwd())) expect(await h.list(rel)).toHaveLength(3);
    expect(await h.fileOf(cassette)).toMatch(/history[\\/][0-9a-f]{32}\.json$/);
  });

  it('two stores appending at once (app and CLI) lose no run', async () => {
    const data = join(dir, 'b');
    const cassette = join(dir, 'shared.jsonl');
    const [h1, h2] = [createRunHistory(data), createRunHistory(data)];
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? h1 : h2).append(cassette, entry(i))));
    expect((await h1.list(cassette)).map((r) => r.at).sort()).toEqual(Array.from({ length: 20 }, (_, i) => entry(i).at).sort());
    expect(readdirSync(join(data, 'history')).filter((n) => !n.endsWith('.json'))).toEqual([]);
  });

  it('a damaged file is a clear error for its recording only; the next run sets it aside and starts anew', async () => {
    const data = join(dir, 'c');
    const issues: string[] = [];
    const h = createRunHistory(data, { onIssue: (m) => issues.push(m) });
    const [good, bad] = [join(dir, 'good.jsonl'), join(dir, 'bad.jsonl')];
    await h.append(good, entry(1));
    await h.append(bad, entry(2));
    const badFile = await h.fileOf(bad);
    writeFileSync(badFile, '{"runs": [ {"at": 1 "x"} ]}');
    const err = await h.list(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryFileError);
    expect((err as Error).message).toBe(`the run history ${badFile} is damaged: invalid JSON (at character 21)`);
    expect(await h.list(good)).toHaveLength(1);
    await h.append(bad, entry(3));
    expect((await h.list(bad)).map((r) => r.at)).toEqual([entry(3).at]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/is damaged: invalid JSON .*; it was moved to .*\.corrupt-.* and a new history was started$/);
    const aside = readdirSync(join(data, 'history')).find((n) => n.includes('.corrupt-'));
    expect(readFileSync(join(data, 'history', aside!), 'utf8')).toBe('{"runs": [ {"at": 1 "x"} ]}');
  });

  it('moves with its recording (rename), and refuses an entry that does not fit the format', async () => {
    const data = join(dir, 'd');
    const h = createRunHistory(data);
    const [from, to] = [join(dir, 'old-name.jsonl'), join(dir, 'new-name.jsonl')];
    await h.append(from, entry(1));
    await h.append(to, entry(2));
    await h.move(from, to);
    expect((await h.list(to)).map((r) => r.at)).toEqual([entry(2).at, entry(1).at]);
    expect(await h.list(from)).toEqual([]);
    await expect(h.append(to, { ...entry(3), answer: 'my card 4111…' } as RunEntry)).rejects.toThrow(/answer/);
  });

  it('an entry from a replay result keeps counts per check and no text; a cassette an interrupt kept from running is no run', () => {
    const turn = (ok: boolean, error?: string) => ({ index: 0, input: 'my card 4111 1111 1111 1111', ok, timeMs: 1, recorded: {} as never, checks: error ? [] : [{ check: 'text', ok, expected: 'equal', got: ok ? 'equal' : 'different: 4111' }], ...(error ? { error } : {}) });
    const result: CassetteReplayResult = { path: 'x.jsonl', ok: false, turns: [turn(true), turn(false), turn(false, 'interrupted before this turn ran')], warnings: [], timeMs: 5, startedAt: '2026-01-01T00:00:00.000Z' };
    const e = runEntryOf(result, { environment: 'demo', source: 'app' });
    expect(e).toEqual({ at: '2026-01-01T00:00:00.000Z', environment: 'demo', source: 'app', ok: false, turns: { total: 3, passed: 1, failed: 1, errors: 1 }, checks: { text: { passed: 1, failed: 1 } }, durationMs: 5 });
    expect(JSON.stringify(e)).not.toContain('4111');
    expect(isRun(result, true)).toBe(true);
    expect(isRun({ ...result, turns: [turn(false, 'interrupted before this turn ran')] }, true)).toBe(false);
    expect(isRun({ ...result, turns: [turn(false, 'interrupted before this turn ran')] }, false)).toBe(true);
  });
});
