// `tap` as a user runs it: against the demo (the built-in simulator plays Cognigy) with Cognigy's official
// client as the frontend; the ready line, per-connection and per-turn lines, --json, --record, bad arguments,
// and a real process that SIGTERM ends promptly with its recording intact.
import { talkThrough } from '../helpers/cognigy-frontend';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SocketClientV4 } from '../compat/clients';
import { runCli, type CliRun } from '../core/recording/helpers/in-process-cli';
import { CLI, ensureCliBuilt } from '../helpers/cli';
import { CREDS, startSim } from '../core/simulator/helpers';

const dir = mkdtempSync(join(tmpdir(), 'tap-cli-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), STREAM_DEBUGGER_DATA_DIR: '' };
beforeAll(() => void vi.spyOn(console, 'log').mockImplementation(() => undefined));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

async function startTapCli(args: string[]) {
  const ac = new AbortController();
  let resolveUrl: (u: string) => void = () => {};
  const ready = new Promise<string>((r) => (resolveUrl = r));
  const done: Promise<CliRun> = runCli(['tap', '--port', '0', '--env', 'demo', '--speed', '0', ...args], {
    env,
    signal: ac.signal,
    // Without --json the URL is stdout's one line; with --json it goes to stderr (the demo's token is made up).
    onStdout: (chunk) => {
      const m = /tap listening on (http:\/\/127\.0\.0\.1:\d+\/\S+)\n/.exec(chunk);
      if (m) resolveUrl(m[1] as string);
    },
    onStderr: (chunk) => {
      const m = /tap listening on (http:\/\/127\.0\.0\.1:\d+\/\S+)\n/.exec(chunk);
      if (m) resolveUrl(m[1] as string);
    },
  });
  const url = await Promise.race([ready, done.then((r) => Promise.reject(new Error(`tap exited ${r.code}: ${r.stderr}`)))]);
  return { url, stop: async () => (ac.abort(), done) };
}

/** The frontend: the official client pointed at the tap's URL, one input, all output texts. */
async function dialog(url: string, text: string, scenario: string): Promise<string> {
  const [texts] = await talkThrough(url, [[text, scenario]], { client: SocketClientV4, userId: 'u-cli' });
  return texts!.join('');
}

describe('tap --env demo', () => {
  it('prints the URL for the frontend, passes the answer through, and reports the connection and its turn', async () => {
    const t = await startTapCli([]);
    const text = await dialog(t.url, 'my card?', 'pii');
    expect(text).toMatch(/\d{4}/); // unchanged: Cognigy's own text reaches the frontend
    const r = await t.stop();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tap listening on http:\/\/127\.0\.0\.1:\d+\/\S+\n$/);
    expect(r.stderr).toMatch(/traffic passes through unchanged/);
    expect(r.stderr).toMatch(/^\[c1\] connected \(user u-cli, session /m);
    expect(r.stderr).toMatch(/^\[c1\] turn 1: complete, \d+ chars, \d+ chunks, first output after \d+ ms; PII: .*CREDIT_CARD/m);
  });

  it('--enforce-policy gives the frontend the masked text; --json carries events without the URL token', async () => {
    const t = await startTapCli(['--enforce-policy', '--json']);
    const token = decodeURIComponent(new URL(t.url).pathname.slice(1));
    const text = await dialog(t.url, 'my card?', 'pii');
    expect(text).toContain('[CREDIT_CARD]');
    const r = await t.stop();
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { connection: string; type: string; status?: string });
    expect(events.every((e) => e.connection === 'c1')).toBe(true);
    expect(events.find((e) => e.type === 'turn.end')?.status).toBe('complete');
    expect(r.stdout).not.toContain(token);
    expect(r.stderr).toMatch(/the frontend receives the FILTERED stream/);
  });

  it('--json in front of a real endpoint keeps its URL token out of stdout and stderr', async () => {
    const sim = await startSim();
    try {
      const ac = new AbortController();
      let ready: () => void = () => {};
      const seen = new Promise<void>((r) => (ready = r));
      const done = runCli(['tap', '--port', '0', '--upstream', `${sim.url}/${CREDS.urlToken}-long-enough`, '--json'], {
        env,
        signal: ac.signal,
        onStderr: (c) => /tap listening on /.test(c) && ready(),
      });
      await Promise.race([seen, done.then((r) => Promise.reject(new Error(r.stderr)))]);
      ac.abort();
      const r = await done;
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/tap listening on http:\/\/127\.0\.0\.1:\d+\/urlt…gh \(your endpoint's URL token in place of urlt…gh\)/);
      expect(r.stderr).not.toContain(`${CREDS.urlToken}-long-enough`);
    } finally {
      await sim.close();
    }
  });

  it.each([
    [['tap', '--env', 'demo'], /--port N is required/],
    [['tap', '--port', '0'], /exactly one of --env NAME .* and --upstream URL/],
    [['tap', '--port', '0', '--upstream', 'not a url'], /--upstream must be the endpoint URL/],
    [['tap', '--port', '0', '--env', 'nope'], /unknown environment "nope"/],
    [['tap', '--port', '0', '--upstream', 'http://example.com/tok'], /https/],
  ])('refuses bad arguments with exit 2: %j', async (argv, message) => {
    const r = await runCli(argv, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('tap as a real process', () => {
  beforeAll(() => ensureCliBuilt(), 180_000);

  it('ends within a second of SIGTERM and leaves a complete cassette per connection', async () => {
    const rec = join(dir, 'rec');
    const proc = spawn(process.execPath, [CLI, 'tap', '--port', '0', '--env', 'demo', '--speed', '0', '--record', rec], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (d) => {
        out += d;
        const m = /tap listening on (\S+)\n/.exec(out);
        if (m) resolve(m[1] as string);
      });
      proc.once('exit', (code) => reject(new Error(`tap exited ${code}`)));
    });
    await dialog(url, 'What is streaming?', 'happy');
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const t0 = performance.now();
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(performance.now() - t0).toBeLessThan(1_000);
    const files = readdirSync(rec);
    expect(files).toHaveLength(1);
    const lines = readFileSync(join(rec, files[0]!), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'cognigy-stream-debugger.cassette', upstream: 'socket-endpoint' });
    expect(lines.some((l) => (JSON.parse(l) as { type?: string; status?: string }).type === 'turn.end')).toBe(true);
  });
});
