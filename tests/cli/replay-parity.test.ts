// The CLI and the app give the same verdicts on the same cassettes: `replay` through the CLI (verdicts read
// back from its JUnit) and the core replay the app calls (replayOnEngine on a core-opened session), on
// cassettes recorded from the simulator with sidecar assertions, green and red. Also: every CLI replay
// lands in the recording's run history, which the app reads with the same store.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configDir } from '../../electron/core/environments/config-dir';
import { createRunHistory } from '../../electron/core/recording/run-history';
import { runCli } from '../core/recording/helpers/in-process-cli';
import { cliReplayVerdicts, coreReplayVerdicts } from '../helpers/replay-verdicts';

const dir = mkdtempSync(join(tmpdir(), 'replay-parity-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
const suite = join(dir, 'suite');
const happy = join(suite, 'happy.jsonl');
const pii = join(suite, 'pii.jsonl');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(suite);
  const scripts: Array<[string, string]> = [
    [
      happy,
      [
        '{"input": "What is streaming?", "assert": [{"kind": "contains", "text": "snake_case"}, {"kind": "chunks", "min": 2}]}',
        '{"input": "And the second point?", "assert": [{"kind": "ttft", "max": 0}]}',
      ].join('\n'),
    ],
    [pii, '{"input": "card please", "scenario": "pii", "assert": [{"kind": "noHit", "type": "CREDIT_CARD"}, {"kind": "notContains", "text": "4111"}]}\n'],
  ];
  for (const [out, text] of scripts) {
    const script = `${out}.txt`;
    writeFileSync(script, text);
    const r = await runCli(['record', '--env', 'demo', '--script', script, '--out', out, '--speed', '0'], { env });
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);

describe('CLI replay and core replay agree', () => {
  it.each([
    ['as recorded', [] as string[], undefined],
    ['on the PII scenario', ['--scenario', 'pii'], 'pii' as const],
  ])('%s: identical verdicts per cassette and turn', async (name, extra, scenario) => {
    const cli = await cliReplayVerdicts([suite, '--env', 'demo', '--speed', '0', ...extra], join(dir, `${name}.xml`), env);
    const core = await coreReplayVerdicts([happy, pii], { env: 'demo', dataDir: configDir(env), speed: 0 }, scenario ? { scenario } : {});
    expect(cli.code).toBe(1);
    expect(core.report.ok).toBe(false);
    expect(core.verdicts).toEqual(cli.verdicts);
    // Not a trivial agreement: named checks failed, for different reasons per turn.
    expect(cli.verdicts.map((v) => v.verdict)).toContain('fail');
    if (!scenario) {
      expect(cli.verdicts).toEqual([
        { cassette: happy, turn: 1, verdict: 'pass', failed: [] },
        { cassette: happy, turn: 2, verdict: 'fail', failed: ['assert.ttft'] },
        { cassette: pii, turn: 1, verdict: 'fail', failed: ['assert.noHit'] },
      ]);
    } else {
      expect(cli.verdicts.map((v) => v.verdict)).toEqual(['fail', 'fail', 'fail']);
      expect(cli.verdicts.find((v) => v.cassette === happy && v.turn === 1)?.failed).toEqual(expect.arrayContaining(['text', 'assert.contains']));
      expect(cli.verdicts.find((v) => v.cassette === pii)?.failed).toEqual(['assert.noHit']);
    }
  });
});

describe('run history from the CLI', () => {
  it('each replay adds a run per cassette (environment, verdict, counts per check); --no-history adds none', async () => {
    const history = createRunHistory(configDir(env));
    const before = (await history.list(happy)).length;
    const r = await runCli(['replay', happy, '--env', 'demo', '--speed', '0'], { env });
    expect(r.code).toBe(1);
    const runs = await history.list(happy);
    expect(runs).toHaveLength(before + 1);
    expect(runs[0]).toMatchObject({
      environment: 'demo',
      source: 'cli',
      ok: false,
      turns: { total: 2, passed: 1, failed: 1, errors: 0 },
      checks: { text: { passed: 2, failed: 0 }, 'assert.ttft': { passed: 0, failed: 1 }, 'assert.contains': { passed: 1, failed: 0 } },
    });
    expect(JSON.stringify(runs)).not.toContain('snake_case');
    await runCli(['replay', happy, '--env', 'demo', '--speed', '0', '--no-history'], { env });
    expect(await history.list(happy)).toHaveLength(before + 1);
  });

  it('a damaged history file is a warning, never a failed replay, and the run is kept in a new history', async () => {
    const history = createRunHistory(configDir(env));
    writeFileSync(await history.fileOf(pii), '{"runs": nope');
    const r = await runCli(['replay', pii, '--env', 'demo', '--speed', '0'], { env });
    expect(r.code).toBe(1); // the noHit assertion, as before
    expect(r.stderr).toMatch(/^warning: the run history .*\.json is damaged: invalid JSON.*; it was moved to .*\.corrupt-.* and a new history was started$/m);
    expect(await history.list(pii)).toHaveLength(1);
    expect((await history.list(happy)).length).toBeGreaterThan(0);
  });
});
