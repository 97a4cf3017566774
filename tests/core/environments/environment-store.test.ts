// The environment store on a real temp directory: round trips, the reserved demo, file modes, damaged files
// (reported, never overwritten or dropped), the URL policy, no secret on disk, two processes at once, and a
// writer killed with SIGKILL mid-write.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEnvironmentStore, EnvironmentFileError, type EnvironmentStore } from '../../../electron/core/environments/environment-store';
import { EnvironmentInputError } from '../../../electron/core/environments/validate-environment';
import { Environment, type EnvironmentInput } from '../../../shared/environment';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WRITER = path.join(ROOT, 'tests/core/environments/fixtures/store-writer.ts');

type GatewayInput = Extract<EnvironmentInput, { kind: 'gateway' }>;
type SocketInput = Extract<EnvironmentInput, { kind: 'socket-endpoint' }>;
const gw = (name: string, extra: Partial<GatewayInput> = {}): GatewayInput => ({
  name,
  kind: 'gateway',
  gateway: { host: 'acme.cognigy.ai', clientId: 'client-1' },
  ...extra,
});
const se = (name: string, endpointUrl = 'https://endpoint-trial.cognigy.ai/abc123'): SocketInput => ({
  name,
  kind: 'socket-endpoint',
  socketEndpoint: { endpointUrl, urlToken: 'abc123', apiUrl: 'https://api-trial.cognigy.ai' },
});

let dir: string;
let store: EnvironmentStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'csd-envs-'));
  store = createEnvironmentStore(path.join(dir, 'cfg'));
});
const fileOf = (name: string) => path.join(dir, 'cfg', 'environments', `${name}.json`);

async function error(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('environment store', () => {
  it('lists only the built-in demo when nothing is stored (and creates nothing to do so)', async () => {
    const list = await store.list();
    expect(list.map((e) => [e.name, e.builtIn])).toEqual([['demo', true]]);
    expect(list[0]!.description).toMatch(/built-in/);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('saves, gets, lists and removes', async () => {
    const saved = await store.save(gw('acme', { model: { model: 'gpt-4o', temperature: 0.2, maxTokens: 50 } }));
    await store.save(se('trial'));
    expect(saved.createdAt).toBeTruthy();
    expect(await store.get('acme')).toEqual(saved);
    expect((await store.list()).map((e) => `${e.name}:${e.builtIn}`)).toEqual(['demo:true', 'acme:false', 'trial:false']);
    const trial = await store.get('trial');
    expect(trial?.kind === 'socket-endpoint' && trial.socketEndpoint.urlToken).toBe('abc123');
    expect(await store.remove('acme')).toBe(true);
    expect(await store.remove('acme')).toBe(false);
    expect(await store.get('acme')).toBeUndefined();
    expect(await store.get('nothing')).toBeUndefined();
  });

  it('writes 0600 files in a 0700 directory, as readable JSON', async () => {
    await store.save(gw('acme'));
    expect((await stat(fileOf('acme'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'cfg', 'environments'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'cfg'))).mode & 0o777).toBe(0o700);
    const json = JSON.parse(await readFile(fileOf('acme'), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({ formatVersion: 1, name: 'acme', kind: 'gateway', gateway: { host: 'acme.cognigy.ai' } });
    expect((await readdir(path.join(dir, 'cfg', 'environments'))).sort()).toEqual(['acme.json']); // no temp files left
  });

  it('replaces an existing environment keeping createdAt; createOnly refuses', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const clocked = createEnvironmentStore(path.join(dir, 'cfg'), { now: () => new Date((t += 1000)) });
    const first = await clocked.save(gw('acme'));
    const second = await clocked.save(gw('acme', { description: 'changed' }));
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt! > first.updatedAt!).toBe(true);
    expect(second.updatedAt).toBe('2026-01-01T00:00:02.000Z');
    const err = await error(store.save(gw('acme'), { createOnly: true }));
    expect(err).toBeInstanceOf(EnvironmentInputError);
    expect((err as EnvironmentInputError).code).toBe('exists');
    expect(err.message).toMatch(/already exists/);
  });

  it('names differing only in letter case clash (one file per name on case-insensitive disks)', async () => {
    await store.save(gw('Acme'));
    const err = await error(store.save(gw('acme')));
    expect(err.message).toMatch(/"Acme" already exists \(names are compared ignoring case\)/);
    expect(await store.get('acme')).toBeUndefined();
  });

  it('reserves "demo" (any case): it cannot be added or removed', async () => {
    for (const name of ['demo', 'Demo', 'DEMO']) {
      const err = await error(store.save(gw(name)));
      expect((err as EnvironmentInputError).code).toBe('reserved');
      expect(err.message).toMatch(/reserved for the built-in demo/);
    }
    expect((await error(store.remove('demo'))).message).toMatch(/built-in demo environment: it cannot be removed/);
    expect((await store.get('demo'))?.name).toBe('demo');
  });

  it('validates names and fields with clear messages', async () => {
    expect((await error(store.save(gw('../evil')))).message).toMatch(/name: use 1-64 letters/);
    expect((await error(store.get('../evil'))).message).toMatch(/not a valid environment name/);
    expect((await error(store.remove('a/b'))).message).toMatch(/not a valid environment name/);
    expect((await error(store.save(gw('nul')))).message).toMatch(/reserved device name on Windows/);
    expect((await error(store.save({ name: 'x', kind: 'gateway' } as EnvironmentInput))).message).toMatch(/gateway: a gateway environment needs gateway settings/);
    expect((await error(store.save(gw('x', { model: { model: 'm', temperature: 3, maxTokens: 1 } })))).message).toMatch(/model\.temperature: Temperature must be a number between 0 and 2/);
  });

  it('enforces the URL policy: http/ws only for loopback hosts', async () => {
    const err = await error(store.save(se('plain', 'http://endpoint-trial.cognigy.ai/abc123')));
    expect(err).toBeInstanceOf(EnvironmentInputError);
    expect(err.message).toMatch(/endpoint URL http:\/\/endpoint-trial\.cognigy\.ai uses unencrypted http.*use https:\/\/endpoint-trial\.cognigy\.ai/);
    await store.save(se('local', 'http://127.0.0.1:4000/abc123'));
    expect((await error(store.save({ ...se('api'), socketEndpoint: { endpointUrl: 'https://e.example', urlToken: 't', apiUrl: 'http://api.example' } }))).message).toMatch(/management API URL/);
    expect((await error(store.save(se('wss', 'wss://endpoint.example/t')))).message).toMatch(/must be an https:\/\/ URL/);
    expect((await error(store.save(gw('gw', { gateway: { host: 'https://acme.cognigy.ai', clientId: 'c' } })))).message).toMatch(/must not include a scheme/);
    const saved = await store.save(gw('gw', { gateway: { host: 'ACME.cognigy.ai:8443', clientId: 'c' } }));
    expect(saved.kind === 'gateway' && saved.gateway.host).toBe('acme.cognigy.ai:8443');
  });

  it('never writes a secret: fields that are not in the schema are dropped before writing', async () => {
    const input = { ...gw('acme'), clientSecret: 'SECRET-cs-123', apiKey: 'SECRET-ak-456', gateway: { host: 'acme.cognigy.ai', clientId: 'c', clientSecret: 'SECRET-gw-789' } };
    await store.save(input);
    const text = await readFile(fileOf('acme'), 'utf8');
    expect(text).not.toMatch(/SECRET-/);
    expect(text).not.toMatch(/clientSecret|apiKey/);
  });

  describe('a damaged file', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['not JSON', '{"name": "bad", ', /bad\.json: is not valid JSON/],
      ['not an object', '[1,2]', /does not hold a JSON object/],
      ['schema violation', JSON.stringify({ name: 'bad', kind: 'gateway', gateway: { host: 'h' } }), /is not a valid environment: gateway\.clientId: /],
      ['name mismatch', JSON.stringify({ name: 'other', kind: 'gateway', gateway: { host: 'h', clientId: 'c' } }), /holds an environment named "other", but the file name says "bad"/],
      ['newer format', JSON.stringify({ formatVersion: 7, name: 'bad', kind: 'gateway', gateway: { host: 'h', clientId: 'c' } }), /written by a newer version/],
    ];
    it.each(cases)('%s: reported with its path and problem, kept as it is, others still listed', async (_what, content, problem) => {
      await store.save(gw('good'));
      await writeFile(fileOf('bad'), content, { mode: 0o600 });
      const err = await error(store.list());
      expect(err).toBeInstanceOf(EnvironmentFileError);
      expect((err as EnvironmentFileError).file).toBe(fileOf('bad'));
      expect(err.message).toMatch(problem);
      expect(err.message).toContain(fileOf('bad'));
      const scan = await store.scan();
      expect(scan.environments.map((e) => e.name)).toEqual(['demo', 'good']);
      expect(scan.problems.map((p) => p.file)).toEqual([fileOf('bad')]);
      await expect(store.get('bad')).rejects.toBeInstanceOf(EnvironmentFileError);
      // Replacing it would lose what is in it: refused, file untouched.
      await expect(store.save(gw('bad'))).rejects.toBeInstanceOf(EnvironmentFileError);
      expect(await readFile(fileOf('bad'), 'utf8')).toBe(content);
      // Removing it on purpose works.
      expect(await store.remove('bad')).toBe(true);
      expect((await store.list()).map((e) => e.name)).toEqual(['demo', 'good']);
    });
  });

  it('ignores leftover temp files and foreign files', async () => {
    await store.save(gw('acme'));
    const envDir = path.join(dir, 'cfg', 'environments');
    await writeFile(path.join(envDir, '.acme.json.123.abc.tmp'), '{"torn":', { mode: 0o600 });
    await writeFile(path.join(envDir, 'README.txt'), 'hi');
    expect((await store.list()).map((e) => e.name)).toEqual(['demo', 'acme']);
  });
});

function runWriter(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('environment store across processes', () => {
  it('two processes adding different environments at the same time lose nothing', async () => {
    const cfg = path.join(dir, 'cfg');
    const [a, b] = await Promise.all([runWriter([cfg, 'add', 'alpha', '25']), runWriter([cfg, 'add', 'beta', '25'])]);
    expect(a.stderr + b.stderr).toBe('');
    const names = (await store.list()).filter((e) => !e.builtIn).map((e) => e.name);
    expect(names).toHaveLength(50);
    expect(names.filter((n) => n.startsWith('alpha-'))).toHaveLength(25);
  });

  it('two processes adding the same name: exactly one wins, the other is told it exists', async () => {
    const cfg = path.join(dir, 'cfg');
    const results = await Promise.all([0, 1, 2, 3].map(() => runWriter([cfg, 'add-one', 'same'])));
    const outs = results.map((r) => r.stdout.trim()).sort();
    expect(outs).toEqual(['exists', 'exists', 'exists', 'ok']);
  });

  it('a writer killed with SIGKILL mid-write leaves a complete, valid file (never a torn one)', async () => {
    const cfg = path.join(dir, 'cfg');
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', WRITER, cfg, 'churn', 'hot'], { cwd: ROOT });
      // Let it write a different number of revisions per round, then kill it without warning (most likely in
      // the middle of the next write).
      const revisions = 3 + round * 7;
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(`saved ${revisions}\n`)) resolve();
        });
        child.on('error', reject);
        child.on('close', (code) => reject(new Error(`writer exited early (${code})`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      const env = await store.get('hot');
      expect(Environment.safeParse(env).success).toBe(true);
      expect(env?.description).toMatch(/^revision \d+/);
    }
  });
});
