// `stream --record` then `simulate --cassette` as a mock upstream: a real client streaming from the mock
// gets the same answer that was recorded.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureCliBuilt } from '../helpers/cli';

let home: string;
let sim: ChildProcess | undefined;
beforeAll(async () => {
  await ensureCliBuilt();
  home = await mkdtemp(join(tmpdir(), 'sim-cassette-'));
});
afterAll(async () => {
  sim?.kill('SIGTERM');
  await rm(home, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, XDG_CONFIG_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('simulate --cassette', () => {
  it('serves the recorded answer to the gateway client, exactly', async () => {
    const cassette = join(home, 'dialog.jsonl');
    const rec = await run(['stream', '--env', 'demo', '--input', 'Replay me', '--scenario', 'emoji-split', '--speed', '0', '--raw', '--record', cassette]);
    expect(rec.code).toBe(0);
    expect(await readFile(cassette, 'utf8')).toMatch(/"format":"cognigy-stream-debugger.cassette"/);

    sim = spawn(process.execPath, [CLI, 'simulate', '--cassette', cassette, '--speed', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      sim!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      sim!.on('exit', (c) => reject(new Error(`simulate exited ${c}`)));
    });
    const add = await run(['env', 'add', 'mock', '--kind', 'gateway', '--host', `127.0.0.1:${port}`, '--client-id', 'mock-client']);
    expect(add.code).toBe(0);
    const replay = await run(['stream', '--env', 'mock', '--input', 'Replay me', '--raw', '--secret-from-env', '--no-sync'], { COGNIGY_CLIENT_SECRET: 'mock-secret' });
    expect(replay.stderr).toMatch(/complete/);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toBe(rec.stdout);
  });
});
