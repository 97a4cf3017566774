// Issue 11 §2: a write-back is never lost while the tool says it is safe. Real CLI processes against the
// real simulator: a reader that closes stdout early, kill -9 right after "complete", a really full disk
// (a 64 KiB tmpfs), an outbox that cannot be read.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrng } from '../../electron/core/simulator/prng';
import { CLI, ensureCliBuilt } from '../helpers/cli';
import { startPeer, type TestPeer } from '../helpers/simulator';

let peer: TestPeer;
let root: string;

beforeAll(async () => {
  await ensureCliBuilt();
  peer = await startPeer();
  root = await mkdtemp(join(tmpdir(), 'durable-wb-'));
});
afterAll(async () => {
  await peer.sim.close();
  await rm(root, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal name). */
  exit: Promise<number | string>;
  /** Resolves the first time stderr matches `re`; rejects after `ms`. */
  waitStderr(re: RegExp, ms?: number): Promise<void>;
}

function start(dataDir: string, args: string[], stdio: 'pipe' | 'ignore-stdout' = 'pipe'): Proc {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, STREAM_DEBUGGER_DATA_DIR: dataDir, COGNIGY_CLIENT_SECRET: peer.creds.clientSecret },
    stdio: ['ignore', stdio === 'pipe' ? 'pipe' : 'ignore', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ re: RegExp; ok: () => void }> = [];
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
    for (const w of [...waiters]) if (w.re.test(err)) w.ok();
  });
  const exit = new Promise<number | string>((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitStderr(re, ms = 20_000) {
      if (re.test(err)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`stderr never matched ${re} within ${ms} ms:\n${err}`)), ms);
        waiters.push({ re, ok: () => (clearTimeout(t), resolve()) });
      });
    },
  };
}

async function run(dataDir: string, args: string[]) {
  const p = start(dataDir, args);
  const code = await p.exit;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

async function newDataDir(name: string, dialogId: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const add = await run(dir, ['env', 'add', 'local', '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId, '--dialog-id', dialogId]);
  expect(add.code, add.stderr).toBe(0);
  return dir;
}

async function outboxIds(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, 'outbox.json'), 'utf8').catch(() => '{"pending":[],"failed":[]}');
  const o = JSON.parse(text) as { pending: Array<{ id: string }>; failed: Array<{ id: string }> };
  return [...o.pending, ...o.failed].map((j) => j.id);
}

const requestIdOf = (stderr: string) => /request (\S+)/.exec(stderr)?.[1];

describe('a closed stdout is a normal end', () => {
  it('stream --json | head -1: no crash, quiet exit, the write-back is sent', async () => {
    const dir = await newDataDir('epipe', 'd-epipe');
    const before = peer.sim.stats.variablesApplied;
    const p = start(dir, ['stream', '--env', 'local', '--input', 'pipe me', '--json', '--secret-from-env', '--sync-wait', '20']);
    // Like `head -1`: read one line, then close the pipe.
    await new Promise<void>((resolve) => {
      p.child.stdout!.on('data', () => {
        if (p.stdout().includes('\n')) {
          p.child.stdout!.destroy();
          resolve();
        }
      });
    });
    const code = await p.exit;
    expect(p.stderr()).not.toMatch(/EPIPE|Unhandled|fatal|at .*\.js:\d+/);
    expect(code).toBe(0);
    expect(p.stderr()).toMatch(/synced/);
    expect(peer.sim.stats.variablesApplied).toBe(before + 1);
  });
});

describe('write-ahead: the job is in the outbox before the turn is reported complete', () => {
  it('kill -9 at random points after "✓ complete" loses no write-back (50 runs)', async () => {
    const dir = await newDataDir('kill9', 'd-kill9');
    // The server never takes these write-backs now: each must survive in the outbox.
    peer.sim.failNext('variables', 429, { retryAfter: '3600', times: 10_000 });
    const rnd = createPrng(11_2026);
    const lost: string[] = [];
    // Five processes at a time share the one outbox (and its lock), as the app and scripts do.
    const one = async (i: number) => {
      const delay = Math.floor(rnd.next() * 31); // 0..30 ms after "complete"
      const p = start(dir, ['stream', '--env', 'local', '--input', `kill ${i}`, '--secret-from-env'], 'ignore-stdout');
      await p.waitStderr(/✓ complete/, 60_000);
      // A delay the test controls on purpose: the point is to kill at that instant after "complete".
      await new Promise((r) => setTimeout(r, delay));
      p.child.kill('SIGKILL');
      await p.exit;
      const id = requestIdOf(p.stderr());
      expect(id).toBeDefined();
      if (!(await outboxIds(dir)).includes(id!)) lost.push(`run ${i} (${delay} ms): ${id}`);
    };
    for (let batch = 0; batch < 10; batch++) await Promise.all([0, 1, 2, 3, 4].map((k) => one(batch * 5 + k)));
    expect(lost).toEqual([]);
    expect(new Set(await outboxIds(dir)).size).toBe(50);
  }, 300_000);
});

describe('a full disk (a real 64 KiB tmpfs)', () => {
  let mnt: string;
  let dir: string;
  beforeAll(async () => {
    mnt = join(root, 'full');
    await mkdir(mnt, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    dir = join(mnt, 'data');
    await mkdir(dir);
    const add = await run(dir, ['env', 'add', 'local', '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId, '--dialog-id', 'd-full']);
    expect(add.code, add.stderr).toBe(0);
    // Fill what is left, byte by byte at the end, until the file system refuses.
    await writeFile(join(mnt, 'filler'), Buffer.alloc(60 * 1024)).catch(() => undefined);
    for (let k = 0; k < 64; k++) await writeFile(join(mnt, `f${k}`), Buffer.alloc(1024)).catch(() => undefined);
  });
  afterAll(() => {
    execFileSync('umount', ['-l', mnt]);
  });

  it('stream --sync-wait 0 never says "kept in the outbox" when nothing was stored: ENOSPC naming the file, non-zero exit', async () => {
    peer.sim.failNext('variables', 429, { retryAfter: '3600', times: 5 });
    const r = await run(dir, ['stream', '--env', 'local', '--input', 'full disk', '--secret-from-env', '--sync-wait', '0']);
    expect(r.stderr).not.toMatch(/kept in the outbox/);
    expect(r.stderr).toMatch(/ENOSPC/);
    expect(r.stderr).toContain(join(dir, 'outbox.json'));
    expect(r.code).not.toBe(0);
    // The answer itself still went to stdout: nothing the user saw is lost.
    expect(r.stdout.length).toBeGreaterThan(0);
  });

  it('sync list says it could not read the outbox, and why (non-zero)', async () => {
    const r = await run(dir, ['sync', 'list']);
    expect(r.stdout).not.toMatch(/the outbox is empty/);
    expect(r.stderr).toMatch(/could not read the sync outbox/);
    expect(r.stderr).toMatch(/ENOSPC/);
    expect(r.code).not.toBe(0);
  });

  it('--record leaves no 0-byte cassette; the error names the file and ENOSPC', async () => {
    const cassette = join(dir, 'turn.jsonl');
    const r = await run(dir, ['stream', '--env', 'local', '--input', 'record me', '--secret-from-env', '--no-sync', '--record', cassette]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ENOSPC/);
    expect(r.stderr).toContain(cassette);
    if (existsSync(cassette)) expect(statSync(cassette).size).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.jsonl') && statSync(join(dir, n)).size === 0)).toEqual([]);
  });
});

describe('sync list when the outbox cannot be read', () => {
  it('outbox.json is a directory: says so, non-zero', async () => {
    const dir = join(root, 'outbox-dir');
    await mkdir(join(dir, 'outbox.json'), { recursive: true });
    const r = await run(dir, ['sync', 'list']);
    expect(r.stdout).not.toMatch(/the outbox is empty/);
    expect(r.stderr).toMatch(/could not read the sync outbox .*outbox\.json.*EISDIR/);
    expect(r.code).not.toBe(0);
  });

  it('the lock is held by a live process: says who, non-zero, without waiting half a minute', async () => {
    const dir = join(root, 'outbox-locked');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'outbox.json'), JSON.stringify({ version: 1, pending: [], failed: [] }));
    // This test process is alive: its lock must not be broken.
    const lock = { pid: process.pid, host: hostname(), bootAt: Math.round(Date.now() - uptime() * 1000), instance: 'test', nonce: 'n', at: new Date().toISOString() };
    await writeFile(join(dir, 'outbox.json.lock'), JSON.stringify(lock));
    const t0 = Date.now();
    const r = await run(dir, ['sync', 'list']);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.stdout).not.toMatch(/the outbox is empty/);
    expect(r.stderr).toMatch(/could not read the sync outbox/);
    expect(r.stderr).toContain(`process ${process.pid}`);
    expect(r.code).not.toBe(0);
    expect(existsSync(join(dir, 'outbox.json.lock'))).toBe(true);
  }, 30_000);
});
