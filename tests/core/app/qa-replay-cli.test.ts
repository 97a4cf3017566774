// The app's replay runner and the CLI's `replay` give the same verdicts on the same cassettes: recordings
// made through the app's IPC (with a sidecar of assertions) are replayed by the app service and by the
// built CLI as a child process over the same data dir; per turn the pass/fail and the failed checks agree,
// and so do the two JUnit files (apart from times).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QaJob } from '../../../shared/qa-ipc';
import { CLI, ensureCliBuilt } from '../../helpers/cli';
import { harness, type Harness } from './helpers';

let h: Harness;
let ids: string[];

const ended = (id: string) =>
  h.until(() => h.pushes.map((p) => (p.payload as { job?: QaJob }).job).find((j) => j?.id === id && j.state !== 'running'), `job ${id} to end`, 60_000);

function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, STREAM_DEBUGGER_DATA_DIR: h.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => (p.kill('SIGKILL'), reject(new Error(`replay took over 60 s:\n${stderr}`))), 60_000);
    p.once('exit', (code) => (clearTimeout(t), resolve({ code, stdout, stderr })));
  });
}

/** Per testcase: suite, name, and the failed checks (the failure's type) or "error"; plus the suites' counts. */
function verdicts(xml: string) {
  const cases = [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => {
    const body = m[4] ?? '';
    const failure = /<failure message="[^"]*" type="([^"]*)"/.exec(body);
    return `${m[1]} | ${m[2]} | ${/<error /.test(body) ? 'error' : failure ? `fail: ${failure[1]}` : 'pass'}`;
  });
  const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)" errors="(\d+)"/g)].map((m) => m.slice(1).join(' '));
  const props = [...xml.matchAll(/<property name="([^"]*)" value="([^"]*)"\/>/g)].map((m) => `${m[1]}=${m[2]}`);
  return { cases, suites, props };
}

beforeAll(async () => {
  await ensureCliBuilt();
  h = harness();
  ids = [];
  for (const [name, text] of [
    ['cards', 'Tell me about my card\nAnd my email address?\n'],
    ['hello', 'hello there\n'],
  ]) {
    await h.call('renderer:dialogs.save', { name, text });
    const r = await h.call('renderer:dialogs.record', { name, environment: 'demo' });
    const job = await ended(r.response.job.id);
    expect(job.state).toBe('done');
    ids.push(job.recording as string);
  }
  // Assertions that pass on one turn and fail on another, so the verdicts are mixed.
  writeFileSync(join(h.dir, 'recordings', ids[0]!.replace(/\.jsonl$/, '.assert.json')), JSON.stringify({ all: [{ kind: 'notContains', text: '@' }], turns: [{ assert: [{ kind: 'ttft', max: 1 }] }] }));
}, 120_000);

afterAll(() => h?.close());

describe('replay verdicts: app = CLI', () => {
  for (const scenario of [undefined, 'pii'] as const) {
    it(`agree on the same cassettes${scenario ? ` replayed on ${scenario}` : ''}`, async () => {
      const r = await h.call('renderer:replay.start', { ids, environment: 'demo', speed: 'fast', ...(scenario ? { scenario } : {}) });
      const jobId = r.response.job.id as string;
      expect((await ended(jobId)).state).toBe('done');
      const app = (await h.call('renderer:qa.job', { jobId })).response.replay;
      const appXml = (await h.call('renderer:replay.junit', { jobId })).response.content as string;

      const out = join(h.dir, `cli-${scenario ?? 'recorded'}.xml`);
      const res = await cli(['replay', ...ids, '--env', 'demo', '--speed', '0', '--junit', out, ...(scenario ? ['--scenario', scenario] : [])], join(h.dir, 'recordings'));
      const cliXml = readFileSync(out, 'utf8');
      expect(res.code, res.stderr).toBe(app.ok ? 0 : 1);

      // The runs were independent, yet every turn's verdict and failed checks are the same (3 turns in 2 suites).
      expect(verdicts(cliXml).cases).toHaveLength(3);
      expect(verdicts(cliXml).suites).toHaveLength(2);
      expect(verdicts(appXml)).toEqual(verdicts(cliXml));
      // And the app's own table says the same as its JUnit.
      const table = app.turns.map((t: { ok: boolean; checks: Array<{ check: string; ok: boolean }> }) => (t.ok ? 'pass' : `fail: ${t.checks.filter((c) => !c.ok).map((c) => c.check).join(',')}`));
      expect(table).toEqual(verdicts(cliXml).cases.map((c) => c.split(' | ')[2]));
      // Mixed on purpose: the sidecar's TTFT ≤ 1 ms fails turn 1 of the first cassette either way.
      expect(table[0]).toMatch(/assert\.ttft/);
      if (!scenario) expect(table).toContain('pass');
      else expect(table.filter((v: string) => v.includes('text')).length).toBeGreaterThan(0);
    }, 120_000);
  }
});
