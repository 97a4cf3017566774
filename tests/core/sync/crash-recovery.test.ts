// Real processes, a real simulator, a real SIGKILL: the outbox must carry a job across a crash and the
// restarted process must get it applied exactly once (Idempotency-Key).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSimulator, type Simulator } from '../../../electron/core/simulator';
import { changed, readOutbox, tempDir, waitFor } from './fixtures/helpers';

const CHILD = join(import.meta.dirname, 'fixtures', 'sync-child.ts');
const CREDS = { clientId: 'sync-test-client', clientSecret: `s3cret-${process.pid}` };

interface Child {
  proc: ChildProcessWithoutNullStreams;
  lines: unknown[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: Child[] = [];

function startChild(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: process.cwd(),
    env: { ...process.env, SIM_CLIENT_ID: CREDS.clientId, SIM_CLIENT_SECRET: CREDS.clientSecret },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const child: Child = {
    proc,
    lines: [],
    stderr: [],
    exited: new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  let buf = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      child.lines.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
      changed();
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => child.stderr.push(chunk));
  children.push(child);
  return child;
}

async function finished(child: Child): Promise<void> {
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`child exited with ${code}: ${child.stderr.join('')}`);
}

let sim: Simulator;
let dir: string;
let cleanup: () => Promise<void>;
let outboxPath: string;

beforeEach(async () => {
  sim = await createSimulator({ ...CREDS, urlToken: 'url-token', apiKey: 'api-key', speed: 0 });
  sim.onStatsChange(changed);
  ({ dir, cleanup } = await tempDir());
  outboxPath = join(dir, 'outbox.json');
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await sim.close();
  await cleanup();
});

describe('sync outbox across a crash', () => {
  it('survives a kill -9 mid-retry and the restarted process syncs exactly once', async () => {
    // 3 s leaves a wide margin to kill the child in its wait even on a loaded machine.
    sim.failNext('variables', 429, { retryAfter: '3', times: 1 });
    const first = startChild(['enqueue', outboxPath, sim.url, 'job-kill-9']);
    const retrying = expect.objectContaining({ state: 'retrying', attempt: 1, cause: 'rate_limited' });
    await waitFor(
      async () =>
        sim.stats.variablesRequests >= 1 &&
        first.lines.some((l) => retrying.asymmetricMatch(l)) &&
        (await readOutbox(outboxPath))?.pending.some((j) => j.id === 'job-kill-9' && j.attempts === 1),
      'the first attempt (429), the retrying event and the job in the outbox',
      20_000,
    );
    first.proc.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(sim.stats.variablesApplied).toBe(0);

    const second = startChild(['resume', outboxPath, sim.url]);
    await finished(second);
    expect(second.lines).toContainEqual(expect.objectContaining({ syncId: 'job-kill-9', state: 'synced', attempt: 2 }));
    expect(sim.stats.variablesApplied).toBe(1);
    expect(sim.stats.variablesRequests).toBe(2);
    expect(sim.variables.get('dialog-1')).toEqual([{ name: 'llm_response', value: 'hello' }]);
    expect(await readOutbox(outboxPath)).toMatchObject({ pending: [], failed: [] });
  });

  it('a kill -9 after the server applied but before the answer arrived: the resend is applied once', async () => {
    // A loopback proxy in front of the simulator that forwards the first request and swallows its answer.
    let held = 0;
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void forward());
      const forward = async () => {
        const headers = Object.fromEntries(
          ['authorization', 'content-type', 'idempotency-key'].flatMap((h) => (req.headers[h] ? [[h, String(req.headers[h])]] : [])),
        );
        const upstream = await fetch(`${sim.url}${req.url}`, { method: req.method, headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
        const body = Buffer.from(await upstream.arrayBuffer());
        if (req.url?.includes('/variables') && held++ === 0) {
          changed();
          return; // applied upstream; the client never hears
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body);
      };
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const first = startChild(['enqueue', outboxPath, proxyUrl, 'job-lost-answer']);
      await waitFor(() => sim.stats.variablesApplied === 1 && held === 1, 'the first attempt to be applied upstream', 20_000);
      first.proc.kill('SIGKILL');
      await first.exited;
      expect((await readOutbox(outboxPath))!.pending.map((j) => j.id)).toEqual(['job-lost-answer']);

      const second = startChild(['resume', outboxPath, proxyUrl]);
      await finished(second);
      expect(second.lines).toContainEqual(expect.objectContaining({ syncId: 'job-lost-answer', state: 'synced' }));
      expect(sim.stats.variablesRequests).toBe(2);
      expect(sim.stats.variablesApplied).toBe(1);
      expect(await readOutbox(outboxPath)).toMatchObject({ pending: [], failed: [] });
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('two processes enqueueing into one outbox at the same time lose no job', async () => {
    const a = startChild(['fill', outboxPath, '25', 'a']);
    const b = startChild(['fill', outboxPath, '25', 'b']);
    await waitFor(() => a.lines.length > 0 && b.lines.length > 0, 'both children ready', 20_000);
    a.proc.stdin.write('go\n');
    b.proc.stdin.write('go\n');
    await Promise.all([finished(a), finished(b)]);
    const ids = (await readOutbox(outboxPath))!.pending.map((j) => j.id).sort();
    const expected = [...Array.from({ length: 25 }, (_, i) => `a-${i}`), ...Array.from({ length: 25 }, (_, i) => `b-${i}`)].sort();
    expect(ids).toEqual(expected);
    expect([...a.lines, ...b.lines].filter((l) => (l as { issue?: unknown }).issue)).toEqual([]);
  });
});
