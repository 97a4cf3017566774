// The replay runner's bookkeeping with an injected session (the real engine runs in tests/cli/replay.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCassetteWriter } from '../../../electron/core/recording/cassette-writer';
import { replayCassettes, type OpenReplaySession } from '../../../electron/core/recording/replay-runner';
import { HEADER_INPUT, turnEvents, type TurnSpec } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'replay-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(name: string, specs: TurnSpec[]): string {
  const path = join(dir, name);
  const w = createCassetteWriter({ path, header: HEADER_INPUT, overwrite: true });
  for (const s of specs) for (const e of turnEvents(s)) w.append(e);
  w.close();
  return path;
}

/** A session answering from a table (input → tokens), like a deterministic upstream. */
function tableSession(answers: Record<string, string[]>, seen: Array<{ input: string; scenario?: string }> = []): OpenReplaySession {
  let n = 0;
  return async () => ({
    runTurn: async (req) => {
      seen.push({ input: req.input, ...(req.scenario ? { scenario: req.scenario } : {}) });
      const tokens = answers[req.input];
      if (!tokens) throw new Error(`no answer for ${req.input}`);
      return turnEvents({ turnId: `r${n++}`, input: req.input, tokens, firstMs: 1 });
    },
    close: async () => {},
  });
}

describe('replay runner', () => {
  const dialog: TurnSpec[] = [
    { turnId: 't1', input: 'one', tokens: ['a', 'b'], scenario: 'happy' },
    { turnId: 't2', input: 'two', tokens: ['c'] },
  ];

  it('passes when the session answers as recorded; sends the recorded (or overridden) scenario', async () => {
    const path = record('ok.jsonl', dialog);
    const seen: Array<{ input: string; scenario?: string }> = [];
    const report = await replayCassettes([path], { openSession: tableSession({ one: ['a', 'b'], two: ['c'] }, seen) });
    expect(report.ok).toBe(true);
    expect(report.totals).toEqual({ cassettes: 1, turns: 2, passed: 2, failed: 0, errors: 0 });
    // turn 2 has no own scenario: the header's default is used.
    expect(seen).toEqual([{ input: 'one', scenario: 'happy' }, { input: 'two', scenario: 'happy' }]);
    const seen2: typeof seen = [];
    await replayCassettes([path], { openSession: tableSession({ one: ['a', 'b'], two: ['c'] }, seen2), scenario: 'pii' });
    expect(seen2.map((s) => s.scenario)).toEqual(['pii', 'pii']);
  });

  it('fails a changed turn, errors a turn that cannot run, and keeps going', async () => {
    const path = record('changed.jsonl', dialog);
    const report = await replayCassettes([path], { openSession: tableSession({ one: ['a', 'X'] }) });
    expect(report.ok).toBe(false);
    const [t1, t2] = report.cassettes[0]!.turns;
    expect(t1?.ok).toBe(false);
    expect(t1?.checks.find((c) => c.check === 'text')?.diff).toContain('-ab\n');
    expect(t2?.error).toBe('no answer for two');
    expect(report.totals).toMatchObject({ turns: 2, passed: 0, failed: 1, errors: 1 });
  });

  it('applies the sidecar assertions and reports an unreadable cassette or sidecar as an error', async () => {
    const path = record('asserted.jsonl', dialog);
    writeFileSync(`${path}.assert.json`, JSON.stringify({ turns: [{}, { assert: [{ kind: 'contains', text: 'zzz' }] }] }));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"format":"nope"}\n');
    const badSidecar = record('bad-sidecar.jsonl', dialog);
    writeFileSync(badSidecar.replace(/\.jsonl$/, '.assert.json'), '{"all": [{"kind": "ttft", "max": "fast"}]}');
    const events: string[] = [];
    const report = await replayCassettes([path, bad, badSidecar], {
      openSession: tableSession({ one: ['a', 'b'], two: ['c'] }),
      onCassetteStart: ({ path: p }) => events.push(`start ${p}`),
      onCassette: (r) => events.push(`end ${r.path} ${r.ok}`),
    });
    const [a, b, c] = report.cassettes;
    expect(a?.assertionsPath).toBe(`${path}.assert.json`);
    expect(a?.turns[0]?.ok).toBe(true);
    expect(a?.turns[1]?.checks.find((x) => x.check === 'assert.contains')).toMatchObject({ ok: false, got: 'not found' });
    expect(b?.error).toMatch(/bad\.jsonl: line 1: not a cassette header/);
    expect(c?.error).toMatch(/bad-sidecar\.assert\.json: all\[0\]\.max: expected number, got string/);
    expect(report.totals.errors).toBe(2);
    expect(events).toEqual([`start ${path}`, `end ${path} false`, `end ${bad} false`, `end ${badSidecar} false`]);
  });

  it('a sidecar that does not fit its cassette is an error naming the entry, never half applied', async () => {
    const tooMany = record('too-many.jsonl', dialog);
    writeFileSync(`${tooMany}.assert.json`, JSON.stringify({ turns: [{}, {}, { assert: [{ kind: 'noLeak' }] }] }));
    const other = record('other-input.jsonl', dialog);
    writeFileSync(`${other}.assert.json`, JSON.stringify({ turns: [{ input: 'one' }, { input: 'three', assert: [{ kind: 'noLeak' }] }] }));
    const report = await replayCassettes([tooMany, other], { openSession: tableSession({ one: ['a', 'b'], two: ['c'] }) });
    expect(report.cassettes.map((c) => c.error)).toEqual([
      `${tooMany}.assert.json: turns[2]: the cassette has 2 turns, the sidecar 3 entries`,
      `${other}.assert.json: turns[1].input: this entry is for another input than turn 2 of the cassette`,
    ]);
    expect(report.cassettes.every((c) => c.turns.length === 0)).toBe(true);
  });

  it('an interrupted replay reports the remaining turns as not run', async () => {
    const path = record('int.jsonl', dialog);
    const ac = new AbortController();
    const open: OpenReplaySession = async () => ({
      runTurn: async (req) => {
        ac.abort();
        return turnEvents({ turnId: 'x', input: req.input, tokens: ['a', 'b'] });
      },
      close: async () => {},
    });
    const report = await replayCassettes([path], { openSession: open, signal: ac.signal });
    expect(report.cassettes[0]?.turns[1]?.error).toBe('interrupted before this turn ran');
  });
});
