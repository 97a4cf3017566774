// The outbox as a user sees it from the CLI: a write-back that cannot go through now is kept, listed,
// retried on demand, or discarded — against the real simulator and the real CLI process.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureCliBuilt } from '../helpers/cli';
import { startPeer, type TestPeer } from '../helpers/simulator';

let home: string;
let peer: TestPeer;
beforeAll(async () => {
  await ensureCliBuilt();
  home = await mkdtemp(join(tmpdir(), 'sync-cli-'));
  peer = await startPeer();
  const add = await run(['env', 'add', 'local', '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId, '--dialog-id', 'd-7']);
  expect(add.code).toBe(0);
});
afterAll(async () => {
  await peer.sim.close();
  await rm(home, { recursive: true, force: true });
});

function run(args: string[], extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, XDG_CONFIG_HOME: home, COGNIGY_CLIENT_SECRET: peer.creds.clientSecret, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sync list / retry / discard', () => {
  it('a refused write-back is kept as failed, listed, and goes through on retry', async () => {
    peer.sim.failNext('variables', 404, { times: 1 });
    const s = await run(['stream', '--env', 'local', '--input', 'keep me', '--secret-from-env']);
    expect(s.code).toBe(0); // the answer itself is complete
    expect(s.stderr).toMatch(/sync failed.*kept in the outbox/);
    expect(peer.sim.stats.variablesApplied).toBe(0);

    const list = await run(['sync', 'list', '--json']);
    const { failed, pending } = JSON.parse(list.stdout) as { failed: Array<{ id: string; cause: string }>; pending: unknown[] };
    expect(pending).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.cause).toBe('not_found');
    expect(list.stdout).not.toContain(peer.creds.clientSecret);

    const retry = await run(['sync', 'retry', failed[0]!.id, '--secret-from-env']);
    expect(retry.stderr).toMatch(/synced/);
    expect(retry.code).toBe(0);
    expect(peer.sim.stats.variablesApplied).toBe(1);
    expect((await run(['sync', 'list'])).stdout).toMatch(/the outbox is empty/);
  });

  it('a long Retry-After leaves the job pending (stream does not block), and discard drops it', async () => {
    peer.sim.failNext('variables', 429, { retryAfter: '3600', times: 1 });
    const t0 = Date.now();
    const s = await run(['stream', '--env', 'local', '--input', 'later', '--secret-from-env', '--sync-wait', '1']);
    expect(s.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(s.stderr).toMatch(/still pending after 1 s/);
    const list = await run(['sync', 'list']);
    expect(list.stdout).toMatch(/pending .* gateway-variables · local .* next try in \d+ s/);
    const id = /pending {2}(\S+)/.exec(list.stdout)![1]!;
    const d = await run(['sync', 'discard', id]);
    expect(d.code).toBe(0);
    expect((await run(['sync', 'list'])).stdout).toMatch(/the outbox is empty/);
    expect((await run(['sync', 'discard', id])).code).toBe(2);
  });

  it('bad arguments exit 2', async () => {
    expect((await run(['sync'])).code).toBe(2);
    expect((await run(['sync', 'frobnicate'])).code).toBe(2);
    expect((await run(['sync', 'discard'])).code).toBe(2);
  });

  it('retry of an id that is not in the outbox says so (exit 2) before touching the keychain', async () => {
    const r = await run(['sync', 'retry', 'no-such-job'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    expect(r.stderr).toMatch(/no sync job "no-such-job" in the outbox/);
    expect(r.stderr).not.toMatch(/keychain|Secret Service|D-Bus/i);
    expect(r.code).toBe(2);
  });
});
