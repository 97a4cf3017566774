// `stream --webchat MODE`: after the answer, the bubbles Webchat would show (one block each) on stdout and
// its warnings on stderr; in --json the webchat.* events. A real CLI process against the simulator's
// Socket Endpoint over loopback.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, CLI } from '../helpers/cli';
import { startPeer, type TestPeer } from '../helpers/simulator';

let home: string;
let peer: TestPeer;
beforeAll(async () => {
  await ensureCliBuilt();
  home = await mkdtemp(join(tmpdir(), 'stream-webchat-'));
  peer = await startPeer();
  const add = await run(['env', 'add', 'sock', '--kind', 'socket-endpoint', '--endpoint-url', `${peer.sim.url}/${peer.creds.urlToken}`, '--url-token', peer.creds.urlToken, '--user-id', 'u-1']);
  expect(add.code, add.stderr).toBe(0);
});
afterAll(async () => {
  await peer?.sim.close();
  await rm(home, { recursive: true, force: true });
});

function run(args: string[], stdin = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, XDG_CONFIG_HOME: home, COGNIGY_API_KEY: peer?.creds.apiKey ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const stream = (...extra: string[]) => run(['stream', '--env', 'sock', '--input', 'Tell me about streaming', '--no-sync', '--secret-from-env', ...extra]);

describe('stream --webchat', () => {
  it('modern: the answer, then the one bubble it becomes; the settings line on stderr', async () => {
    const plain = await stream();
    const r = await stream('--webchat', 'modern');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith(plain.stdout)).toBe(true);
    const answer = plain.stdout.replace(/\n$/, '');
    expect(r.stdout.slice(plain.stdout.length)).toBe(`\n${answer}\n`);
    expect(r.stderr).toMatch(/webchat preview: Modern \(collated, progressive\) · collateStreamedOutputs on, progressiveMessageRendering on/);
    expect(r.stderr).not.toMatch(/! webchat/);
  });

  it('classic: one block per chunk and the split warning on stderr', async () => {
    const r = await stream('--webchat', 'classic');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/! webchat split-bubbles: Message \S+ is shown as (\d+) bubbles/);
    const n = Number(/shown as (\d+) bubbles/.exec(r.stderr)![1]);
    const plain = await stream();
    const blocks = r.stdout.slice(plain.stdout.length).split('\n\n');
    expect(blocks.length).toBe(n);
    expect(r.stdout).not.toMatch(/webchat/);
  });

  it('--json carries the webchat events', async () => {
    const r = await stream('--webchat', 'classic', '--json');
    const types = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toContain('webchat.settings');
    expect(types).toContain('webchat.bubble');
    expect(types).toContain('webchat.warning');
    expect(types.lastIndexOf('webchat.warning')).toBeLessThan(types.indexOf('turn.end'));
  });

  it('a bad mode and a gateway environment are refused with what to do', async () => {
    const bad = await stream('--webchat', 'fancy');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--webchat must be one of classic, modern, slick, endpoint, got "fancy"/);
    const gw = await run(['stream', '--env', 'demo', '--input', 'hi', '--speed', '0', '--webchat', 'modern']);
    expect(gw.code).toBe(2);
    expect(gw.stderr).toMatch(/--webchat needs a Socket Endpoint environment: "demo" is a gateway environment/);
  });
});

describe('record --webchat, then replay', () => {
  it('the cassette keeps the preview; a replay into a closing chunk with text fails the webchat check, in JUnit too', async () => {
    const cassette = join(home, 'modern.jsonl');
    const junit = join(home, 'replay.xml');
    const rec = await run(['record', '--env', 'sock', '--script', '-', '--out', cassette, '--webchat', 'modern', '--no-sync', '--secret-from-env'], 'Tell me about streaming\n');
    expect(rec.code, rec.stderr).toBe(0);
    const types = (await readFile(cassette, 'utf8')).trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toContain('webchat.settings');
    const same = await run(['replay', cassette, '--env', 'sock', '--no-sync', '--secret-from-env']);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    const changed = await run(['replay', cassette, '--env', 'sock', '--no-sync', '--secret-from-env', '--scenario', 'closing-text', '--junit', junit]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/check webchat\n\s+expected: no Webchat warning the recording did not have \(modern/);
    expect(changed.stdout).toMatch(/got:\s+1 new: closing-text-dropped: Webchat drops "/);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/type="[^"]*webchat/);
    expect(xml).toMatch(/<system-out>webchat closing-text-dropped: /);
  });

  it('record --webchat on a gateway environment is refused', async () => {
    const r = await run(['record', '--env', 'demo', '--script', '-', '--out', join(home, 'gw.jsonl'), '--webchat', 'modern'], 'hi\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--webchat needs a Socket Endpoint environment/);
  });
});
