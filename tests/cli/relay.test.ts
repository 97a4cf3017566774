// `relay` with the real session engine on the demo simulator, read with an independent SSE parser: the
// token texts of a turn are exactly what `stream` prints, and a dropped connection resumes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventId } from '../../electron/core/relay/turn-buffers';
import { runCli, type CliRun } from '../core/recording/helpers/in-process-cli';
import { sse } from '../core/relay/sse-client';

const dir = mkdtempSync(join(tmpdir(), 'relay-cli-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
const tokensOf = (events: Array<{ event?: string; data: string }>) => events.filter((e) => e.event === 'token').map((e) => (JSON.parse(e.data) as { text: string }).text);

async function startRelay(args: string[], runEnv: NodeJS.ProcessEnv = env) {
  const ac = new AbortController();
  let url = '';
  let resolveUrl: (u: string) => void = () => {};
  const ready = new Promise<string>((r) => (resolveUrl = r));
  const done: Promise<CliRun> = runCli(['relay', '--port', '0', '--env', 'demo', ...args], {
    env: runEnv,
    signal: ac.signal,
    onStdout: (chunk) => {
      const m = /relay listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(chunk);
      if (m) resolveUrl((url = m[1] as string));
    },
  });
  await Promise.race([ready, done.then((r) => Promise.reject(new Error(`relay exited ${r.code}: ${r.stderr}`)))]);
  return { url, stop: async () => (ac.abort(), done) };
}

let fast: Awaited<ReturnType<typeof startRelay>>;
beforeAll(async () => {
  fast = await startRelay(['--speed', '0']);
});
afterAll(async () => {
  const r = await fast.stop();
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^relay listening on http:\/\/127\.0\.0\.1:\d+\n$/);
  rmSync(dir, { recursive: true, force: true });
});

describe('relay --env demo', () => {
  it.each(['happy', 'pii', 'emoji-split', 'binary-utf8', 'drop'])('token texts of a turn equal what `stream` prints (%s)', async (scenario) => {
    const input = `Tell me about ${scenario}, please.`;
    const res = await sse(`${fast.url}/stream?input=${encodeURIComponent(input)}&scenario=${scenario}`, { headers: { origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const streamed = await runCli(['stream', '--env', 'demo', '--input', input, '--scenario', scenario, '--speed', '0', '--no-sync'], { env });
    const printed = streamed.stdout.endsWith('\n') && !tokensOf(res.events).join('').endsWith('\n') ? streamed.stdout.slice(0, -1) : streamed.stdout;
    expect(tokensOf(res.events).join('')).toBe(printed);
    expect(printed.length).toBeGreaterThan(20);
    const ids = res.events.map((e) => parseEventId(e.id ?? '')?.seq ?? -1);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(res.events.at(-1)?.event).toBe('done');
    if (scenario === 'drop') {
      expect(res.events.map((e) => e.event)).toContain('error');
      const err = JSON.parse(res.events.find((e) => e.event === 'error')!.data);
      expect(err).toMatchObject({ cause: 'network' });
      expect(typeof err.fallback).toBe('string');
      expect(JSON.parse(res.events.at(-1)!.data)).toMatchObject({ status: 'partial', cause: 'network' });
    } else {
      expect(res.events.some((e) => e.event === 'usage')).toBe(true);
      expect(JSON.parse(res.events.at(-1)!.data)).toMatchObject({ status: 'complete' });
    }
  });

  it('shows the fallback saved in the settings, in its turns and in its own errors (the same settings.json the app writes)', async () => {
    const generic = 'Our assistant had a hiccup: please ask again.';
    const dataDir = join(dir, 'with-settings');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ fallbacks: { timeout: 'Slow.', rateLimited: 'Busy.', contentFiltered: 'Filtered.', generic }, stallThresholdMs: 2000, showTokenBoundaries: true }));
    const relay = await startRelay(['--speed', '0', '--no-sync'], { ...env, STREAM_DEBUGGER_DATA_DIR: dataDir });
    try {
      const dropped = await sse(`${relay.url}/stream?input=x&scenario=drop`);
      expect(JSON.parse(dropped.events.find((e) => e.event === 'error')!.data)).toMatchObject({ cause: 'network', fallback: generic });
      // The relay's own error (a turn it no longer keeps) says the same, not the built-in default.
      const unknown = await sse(`${relay.url}/stream?input=x`, { headers: { 'last-event-id': 'other-3-7' } });
      expect(unknown.events.map((e) => e.event)).toEqual(['error', 'done']);
      expect(JSON.parse(unknown.events[0]!.data)).toMatchObject({ cause: 'not_found', fallback: generic });
    } finally {
      expect((await relay.stop()).code).toBe(0);
    }
  });

  it('a turn with a sequence gap ends `done` as damaged, not whole, saying what is missing', async () => {
    const res = await sse(`${fast.url}/stream?input=gap&scenario=seq-gap`);
    expect(res.events.at(-1)?.event).toBe('done');
    const done = JSON.parse(res.events.at(-1)!.data);
    expect(done).toMatchObject({ status: 'damaged', whole: false, damage: [{ kind: 'seq-gap', count: 1 }] });
    const happy = await sse(`${fast.url}/stream?input=gap&scenario=happy`);
    expect(JSON.parse(happy.events.at(-1)!.data)).toMatchObject({ status: 'complete', whole: true });
  });

  it('POST /turns streams the same events; a foreign origin is refused', async () => {
    const res = await sse(`${fast.url}/turns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: 'hi', scenario: 'pii' }) });
    expect(tokensOf(res.events).join('')).toContain('[CREDIT_CARD]');
    const refused = await sse(`${fast.url}/stream?input=hi`, { headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    const badScenario = await sse(`${fast.url}/stream?input=hi&scenario=nope`);
    expect(badScenario.status).toBe(400);
  });

  it('a client that drops the connection resumes with Last-Event-ID and gets the rest exactly once', async () => {
    const slow = await startRelay(['--speed', '3', '--origin', 'http://localhost:3000']);
    try {
      const first = await sse(`${slow.url}/stream?input=resume%20me`, { stopAfter: 5 });
      expect(first.aborted).toBe(true);
      const rest = await sse(`${slow.url}/stream?input=resume%20me`, { headers: { 'last-event-id': first.events.at(-1)!.id! } });
      const all = [...first.events, ...rest.events];
      expect(all.map((e) => parseEventId(e.id!)!.seq)).toEqual(all.map((_, i) => i + 1));
      expect(all.at(-1)?.event).toBe('done');
      const whole = await runCli(['stream', '--env', 'demo', '--input', 'resume me', '--speed', '0', '--no-sync'], { env });
      expect(`${tokensOf(all).join('')}\n`).toBe(whole.stdout);
    } finally {
      const r = await slow.stop();
      expect(r.stderr).toMatch(/client resumed after event 5/);
    }
  });

  it('bad arguments exit 2', async () => {
    const r = await runCli(['relay', '--env', 'demo', '--port', 'x'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port must be an integer/);
    const missing = await runCli(['relay', '--env', 'demo'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--port N is required \(0 = a free port\)/);
    const o = await runCli(['relay', '--env', 'demo', '--port', '0', '--origin', '*'], { env });
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/origin "\*" is not allowed/);
  });

  it('a port in use exits 1 with the same message as every listening command', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['relay', '--env', 'demo', '--port', String(port)], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use: pick another with --port, or --port 0 for a free one`);
    } finally {
      blocker.close();
    }
  });
});
