// The `stream` command as scripts use it: a real process, stdout/stderr/exit code as the contract.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, CLI } from '../helpers/cli';
import { startPeer, type TestPeer } from '../helpers/simulator';

let home: string;
beforeAll(async () => {
  await ensureCliBuilt();
  home = await mkdtemp(join(tmpdir(), 'stream-cli-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}, input?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, XDG_CONFIG_HOME: home, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('stream --env demo', () => {
  it('stdout is exactly the filtered answer plus one newline; the rest goes to stderr', async () => {
    const r = await run(['stream', '--env', 'demo', '--input', 'What is streaming?', '--speed', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n- /);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.endsWith('\n\n')).toBe(false);
    expect(r.stdout).not.toMatch(/TTFT|usage|sync/);
    expect(r.stderr).toMatch(/TTFT \d+ ms/);
    expect(r.stderr).toMatch(/usage: prompt \d+ · completion \d+ · total \d+ \(reported\)/);
    // The demo's simulator and the estimator count with the same encoding, and agree exactly.
    const reported = /usage: (prompt \d+ · completion \d+ · total \d+) \(reported\)/.exec(r.stderr)![1];
    expect(r.stderr).toContain(`usage: ${reported} (estimated, o200k_base) · drift 0.0 %\n`);
    expect(r.stderr).toMatch(/sync \(dialog variables\): synced/);
  });

  it('filtered by default, raw with --raw', async () => {
    const f = await run(['stream', '--env', 'demo', '--input', 'pii please', '--scenario', 'pii', '--speed', '0']);
    const raw = await run(['stream', '--env', 'demo', '--input', 'pii please', '--scenario', 'pii', '--speed', '0', '--raw']);
    expect(f.code).toBe(0);
    expect(raw.code).toBe(0);
    expect(raw.stdout.replace(/\D/g, '')).toContain('4111111111111111');
    expect(f.stdout.replace(/\D/g, '')).not.toContain('4111111111111111');
    expect(f.stdout).toContain('[CREDIT_CARD]');
    // stderr sums up the detections by type and action, never a detected value.
    expect(f.stderr).toMatch(/^ {2}PII: [4-9] hits · .*CREDIT_CARD ×1 \(mask\).*EMAIL_ADDRESS ×1 \(mask\)/m);
    expect(f.stderr.replace(/\D/g, '')).not.toContain('4111111111111111');
  });

  it('--json prints the events as JSONL including a usage event', async () => {
    const r = await run(['stream', '--env', 'demo', '--input', 'json please', '--speed', '0', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines[0]!.type).toBe('turn.start');
    expect(lines.some((l) => l.type === 'usage')).toBe(true);
    expect(lines.some((l) => l.type === 'turn.end')).toBe(true);
  });

  it.each([
    ['drop', 6],
    ['revoked', 6],
    ['server-error', 6],
  ])('exit code for %s is %i and the partial answer is still printed', async (scenario, code) => {
    const r = await run(['stream', '--env', 'demo', '--input', 'x', '--scenario', scenario, '--speed', '0']);
    expect(r.code).toBe(code);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/partial/);
  });

  it('honours the fallback message saved in the settings (the same settings.json the app writes)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stream-cli-settings-'));
    try {
      const timeout = 'Our assistant is slow right now: please try again in a minute.';
      const settings = { fallbacks: { timeout, rateLimited: 'Busy.', contentFiltered: 'Filtered.', generic: 'Sorry.' }, stallThresholdMs: 2000, showTokenBoundaries: true };
      await writeFile(join(dataDir, 'settings.json'), JSON.stringify(settings));
      const r = await run(['stream', '--env', 'demo', '--input', 'x', '--scenario', 'stall', '--speed', '0', '--idle-timeout', '0.5'], { STREAM_DEBUGGER_DATA_DIR: dataDir });
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`fallback shown to the user: "${timeout}"`);
      expect(r.stderr).not.toMatch(/I am experiencing high latency/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a stall is a timeout (5) with the timeout fallback', async () => {
    const r = await run(['stream', '--env', 'demo', '--input', 'x', '--scenario', 'stall', '--speed', '0', '--idle-timeout', '0.5']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/I am experiencing high latency/);
    // The silence that ended the turn is a stall with its length; tokens/s over the whole wall time.
    const m = /· ([\d.]+) s · (\d+) tokens \(([\d.]+) tokens\/s\) · 1 stall \(longest ([\d.]+) s; the last ([\d.]+) s of silence ended in the timeout\)/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [, secs, tokens, rate, , silence] = m!.map(Number);
    expect(silence).toBeGreaterThanOrEqual(0.5);
    expect(rate).toBeCloseTo(tokens! / secs!, 0);
    expect(r.stderr).not.toMatch(/no stalls/);
  });

  it('seq-gap: the upstream finished, but frames never arrived: damaged, exit 6, never "complete"', async () => {
    const r = await run(['stream', '--env', 'demo', '--input', 'x', '--scenario', 'seq-gap', '--speed', '0']);
    expect(r.code).toBe(6);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/◐ damaged ·/);
    expect(r.stderr).toMatch(/damaged answer: 1 sequence gap \(frames never received\); first at character \d+/);
    expect(r.stderr).not.toMatch(/complete/);
    // Not written back: a fragment must not overwrite the dialog's value.
    expect(r.stderr).not.toMatch(/sync \(dialog variables\)/);
  });

  it('rate-limit recovers (0) and says it retried', async () => {
    const r = await run(['stream', '--env', 'demo', '--input', 'x', '--scenario', 'rate-limit', '--speed', '0']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/rate_limited.*retrying in/);
  });

  it('bad arguments exit 2 with a clear message', async () => {
    expect((await run(['stream', '--env', 'demo'])).code).toBe(2);
    const r = await run(['stream', '--env', 'demo', '--input', 'x', '--scenario', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown scenario "nope"; valid: happy, pii/);
    expect((await run(['stream', '--bogus'])).code).toBe(2);
  });
});

describe('stream against a stored environment', () => {
  let peer: TestPeer;
  beforeAll(async () => {
    peer = await startPeer();
    const dir = join(home, 'cognigy-stream-debugger');
    await mkdir(dir, { recursive: true });
    const r = await run(['env', 'add', 'local', '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId, '--dialog-id', 'd-1']);
    expect(r.stderr).toBe(r.stderr);
    expect(r.code).toBe(0);
  });
  afterAll(async () => {
    await peer.sim.close();
  });

  it('an unknown environment is a bad argument (exit 2) naming each known environment once', async () => {
    const r = await run(['stream', '--env', 'nope', '--input', 'x']);
    expect(r.code).toBe(2);
    const known = /unknown environment "nope" \(known: ([^)]*)\)/.exec(r.stderr)?.[1]?.split(', ');
    expect(known).toEqual(['demo', 'local']);
  });

  it('wrong credentials exit 3 and never print the secret', async () => {
    const r = await run(['stream', '--env', 'local', '--input', 'x', '--secret-from-env'], { COGNIGY_CLIENT_SECRET: 'definitely-wrong-secret-42' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/invalid_client/);
    expect(r.stdout + r.stderr).not.toContain('definitely-wrong-secret-42');
  });

  it('right credentials stream; secrets appear nowhere: not in --json output, logs or the data dir', async () => {
    const r = await run(['stream', '--env', 'local', '--input', 'x', '--json', '--secret-from-env'], { COGNIGY_CLIENT_SECRET: peer.creds.clientSecret });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(peer.creds.clientSecret);
    expect(r.stdout).not.toMatch(/Bearer|access_token/);
    const dir = join(home, 'cognigy-stream-debugger');
    for (const f of await readdir(dir)) {
      const text = await readFile(join(dir, f), 'utf8').catch(() => '');
      expect(text).not.toContain(peer.creds.clientSecret);
    }
    await writeFile(join(home, 'x'), '');
  });
});
