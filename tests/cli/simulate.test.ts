// `simulate` CLI command: the argument contract (exit 2 with the valid scenarios, exit 1 for a port in use),
// the single ready line on stdout, credentials never printed, and a real process that stops on SIGTERM.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT, UsageError, type CliIO } from '../../electron/cli/cli-io';
import { simulateCommand } from '../../electron/cli/commands/simulate';
import { SCENARIOS } from '../../shared/scenarios';
import { createChanges } from '../helpers/until';

const SECRET = 'made-up-secret-42';
const API_KEY = 'made-up-api-key-77';
const ARGS = ['--client-id', 'cid', '--client-secret', SECRET, '--url-token', 'utok', '--api-key', API_KEY];

function makeIO(ac = new AbortController()) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const changes = createChanges();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
    changes.notify();
  });
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIO = { stdin: new PassThrough(), stdout, stderr, env: {}, signal: ac.signal, isTTY: false };
  return { io, ac, out: () => out, err: () => err, until: (check: () => boolean, what: string) => changes.until(check, what, 10_000) };
}

describe('simulate command (in process)', () => {
  it('prints exactly the ready line on stdout, serves, and returns 0 when the signal aborts', async () => {
    const t = makeIO();
    const done = simulateCommand(['--port', '0', ...ARGS, '--scenario', 'pii', '--speed', '0'], t.io);
    await t.until(() => t.out().includes('\n'), 'the ready line');
    const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(t.out());
    expect(m).not.toBeNull();
    const base = m?.[1] as string;
    const token = await fetch(`${base}/api/v2/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cid', client_secret: SECRET }).toString(),
    });
    expect(token.status).toBe(200);
    expect(t.err()).toMatch(/simulator credentials/);
    t.ac.abort(new Error('SIGTERM'));
    expect(await done).toBe(EXIT.ok);
    expect(t.out()).toBe(`listening on ${base}\n`);
    for (const s of [SECRET, API_KEY]) {
      expect(t.out()).not.toContain(s);
      expect(t.err()).not.toContain(s);
    }
    await expect(fetch(`${base}/`)).rejects.toThrow();
  });

  it('socket endpoint options: a sub-path, WebSocket only, the Webchat preset the settings GET answers', async () => {
    const t = makeIO();
    const done = simulateCommand(['--port', '0', ...ARGS, '--base-path', '/cognigy', '--transports', 'websocket', '--webchat-preset', 'slick', '--speed', '0'], t.io);
    await t.until(() => t.out().includes('\n'), 'the ready line');
    const base = /^listening on (\S+)\n$/.exec(t.out())?.[1] as string;
    const settings = (await (await fetch(`${base}/cognigy/utok`)).json()) as { settings: { behavior: unknown } };
    expect(settings.settings.behavior).toEqual({ collateStreamedOutputs: true, progressiveMessageRendering: false });
    expect(t.err()).toMatch(/Socket\.IO path \/cognigy\/socket\.io; transports websocket/);
    // Polling is refused by a WebSocket-only server (engine.io answers 400 "Transport unknown").
    expect((await fetch(`${base}/cognigy/socket.io/?EIO=4&transport=polling`)).status).toBe(400);
    t.ac.abort(new Error('SIGTERM'));
    expect(await done).toBe(EXIT.ok);
  });

  it('refuses a bad webchat preset, transport or flush override as usage errors', async () => {
    await expect(simulateCommand(['--port', '0', ...ARGS, '--webchat-preset', 'fancy'], makeIO().io)).rejects.toThrow(/--webchat-preset must be classic, modern, slick/);
    await expect(simulateCommand(['--port', '0', ...ARGS, '--transports', 'carrier-pigeon'], makeIO().io)).rejects.toThrow(/--transports must be any, websocket or polling/);
    await expect(simulateCommand(['--port', '0', ...ARGS, '--flush-override', '(oops'], makeIO().io)).rejects.toThrow(UsageError);
  });

  it('refuses an unknown scenario as a usage error listing the valid ones', async () => {
    const t = makeIO();
    const p = simulateCommand(['--port', '0', ...ARGS, '--scenario', 'nope'], t.io);
    await expect(p).rejects.toBeInstanceOf(UsageError);
    await expect(p).rejects.toThrow(`unknown scenario "nope"; valid scenarios: ${SCENARIOS.join(', ')}`);
  });

  it.each([
    [['--port', '0', '--client-id', 'a', '--url-token', 'u', '--api-key', 'k'], /--client-secret is required/],
    [['--port', 'x', ...ARGS], /--port must be an integer/],
    [['--port', '0', ...ARGS, '--speed=-1'], /--speed must be a number ≥ 0/],
    [['--port', '0', ...ARGS, '--speed', 'fast'], /--speed must be a number ≥ 0/],
    [['--port', '0', ...ARGS, '--bogus'], /bogus/],
  ])('refuses bad arguments %j', async (argv, message) => {
    await expect(simulateCommand(argv, makeIO().io)).rejects.toThrow(message);
  });

  it('prints its help (with every scenario) on stdout', async () => {
    const t = makeIO();
    expect(await simulateCommand(['--help'], t.io)).toBe(EXIT.ok);
    for (const s of SCENARIOS) expect(t.out()).toContain(s);
  });

  it('exits 1 with a clear error when the port is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const t = makeIO();
      expect(await simulateCommand(['--port', String(port), ...ARGS], t.io)).toBe(EXIT.error);
      expect(t.err()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(t.out()).toBe('');
    } finally {
      blocker.close();
    }
  });
});

describe('simulate command (real process)', () => {
  it('prints the ready line, answers, and exits 0 on SIGTERM', async () => {
    // The CLI's own process wiring (runFromProcess: SIGINT/SIGTERM abort io.signal) around this command.
    const script = `
      const { runFromProcess } = await import('./electron/cli/index.ts');
      runFromProcess(${JSON.stringify(['simulate', '--port', '0', ...ARGS, '--speed', '0'])});`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const changes = createChanges();
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      changes.notify();
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.on('exit', () => changes.notify());
    try {
      await changes.until(() => out.includes('\n') || child.exitCode !== null, 'the ready line or an exit', 20_000);
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(out);
      expect(m, `stdout: ${out}\nstderr: ${err}`).not.toBeNull();
      expect((await fetch(`${m?.[1]}/`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toBe(`listening on ${m?.[1]}\n`);
      expect(out + err).not.toContain(SECRET);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
