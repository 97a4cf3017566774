// Issue 11 §1: SIGINT/SIGTERM always end the CLI within a second, keeping what was recorded — while a
// stream stalls, while a policy pattern that would backtrack for hours meets the answer, and while the
// command waits for a write-back.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureCliBuilt } from '../helpers/cli';
import { startPeer, type TestPeer } from '../helpers/simulator';

let root: string;
let peer: TestPeer;
beforeAll(async () => {
  await ensureCliBuilt();
  root = await mkdtemp(join(tmpdir(), 'cli-signals-'));
  peer = await startPeer();
});
afterAll(async () => {
  await peer.sim.close();
  await rm(root, { recursive: true, force: true });
});

/**
 * Starts the CLI, sends `signal` once stderr matches `when` (and, with `afterText`, once answer text is on
 * stdout), and measures how long the process takes to end.
 */
async function interrupt(args: string[], when: RegExp, signal: NodeJS.Signals, dataDir = join(root, 'data'), afterText = false) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, STREAM_DEBUGGER_DATA_DIR: dataDir, COGNIGY_CLIENT_SECRET: peer.creds.clientSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalledAt = 0;
  const ready = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`never saw ${when} on stderr${afterText ? ' and answer text' : ''} within 60 s:\n${stderr}`)), 60_000);
    const check = () => {
      if (!signalledAt && when.test(stderr) && (!afterText || stdout.length > 0)) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      check();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      check();
    });
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  await ready;
  signalledAt = performance.now();
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    exited,
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running 10 s after the signal'), 10_000))),
  ]);
  clearTimeout(timer);
  if (typeof code === 'string' && code.startsWith('still running')) child.kill('SIGKILL');
  return { code, ms: performance.now() - signalledAt, stdout, stderr };
}

describe('signals end the CLI within a second', () => {
  it('SIGTERM while the stream stalls: ends, and the cassette keeps the turn so far', async () => {
    const cassette = join(root, 'stall.jsonl');
    const r = await interrupt(['stream', '--env', 'demo', '--input', 'x', '--scenario', 'stall', '--speed', '0', '--idle-timeout', '120', '--record', cassette], /▶ demo/, 'SIGTERM', join(root, 'data'), true);
    expect(r.ms).toBeLessThan(1000);
    expect(r.code).not.toBe(0);
    const lines = (await readFile(cassette, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type?: string; format?: string });
    expect(lines[0]!.format).toBeDefined();
    expect(lines.some((l) => l.type === 'turn.start')).toBe(true);
    expect(lines.some((l) => l.type === 'token')).toBe(true);
  });

  it('SIGINT while a pattern that backtracks exponentially on V8 meets the answer', async () => {
    const policy = join(root, 'evil-policy.json');
    // On a backtracking engine this pattern spins for hours on any 200 characters of prose without "#".
    await writeFile(policy, JSON.stringify({ version: 1, custom: [{ name: 'EVIL', pattern: '([a-z ]+)+#', maxLength: 200 }] }));
    const r = await interrupt(['stream', '--env', 'demo', '--input', 'tell me more', '--speed', '0.2', '--policy', policy], /▶ demo/, 'SIGINT', join(root, 'data'), true);
    expect(r.ms).toBeLessThan(1000);
    expect(r.code).not.toBe(0);
  });

  it('SIGINT while waiting for a write-back: ends at once, and the job is in the outbox', async () => {
    const dataDir = join(root, 'sync-wait');
    await mkdir(dataDir, { recursive: true });
    const add = spawn(process.execPath, [CLI, 'env', 'add', 'local', '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId, '--dialog-id', 'd-sig'], {
      env: { ...process.env, STREAM_DEBUGGER_DATA_DIR: dataDir },
      stdio: 'ignore',
    });
    expect(await new Promise((resolve) => add.on('exit', resolve))).toBe(0);
    peer.sim.failNext('variables', 503, { retryAfter: '3600', times: 1 });
    const r = await interrupt(['stream', '--env', 'local', '--input', 'wait for me', '--secret-from-env', '--sync-wait', '600'], /retrying in/, 'SIGINT', dataDir);
    expect(r.ms).toBeLessThan(1000);
    expect(r.stderr).toMatch(/kept in the outbox/);
    const outbox = JSON.parse(await readFile(join(dataDir, 'outbox.json'), 'utf8')) as { pending: Array<{ id: string }> };
    expect(outbox.pending.map((j) => j.id)).toContain(/request (\S+)/.exec(r.stderr)![1]);
  });
});
