// `env` end to end: in-process through main() with a real temp config dir and the real gnome-keyring of the
// `npm test` session; `env test` against the real simulator; child processes for what needs another keychain
// state (none, locked) or a real terminal (hidden prompt through a pseudo-terminal from `script`).
// Every secret used here is collected and grepped for in all output and in every file of the data dir.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/index';
import type { CliIO } from '../../electron/cli/cli-io';
import { createKeyringStore } from '../../electron/core/secrets/keyring-store';
import { KEYCHAIN_SERVICE } from '../../electron/core/secrets/secret-store';
import { startPeer, type TestPeer } from '../helpers/simulator';
import {
  assertKeyringSession,
  inPrivateSession,
  LOCK_LOGIN_KEYRING,
  privateEnv,
  ROOT,
  run,
  secretToolSearch,
  shellQuote,
  START_UNLOCKED_KEYRING,
  type RunResult,
} from '../core/secrets/keyring-session';

const tag = randomBytes(3).toString('hex');
const n = (base: string) => `${base}-${tag}`;
const secrets: string[] = []; // every secret used: none may show up in any output or file
const newSecret = (label: string) => {
  const s = `S3cr3t-${label}-${randomBytes(9).toString('base64url')}`;
  secrets.push(s);
  return s;
};
const outputs: string[] = [];
const keychain = createKeyringStore();
const created = new Set<string>();

let dataDir: string;
let baseEnv: NodeJS.ProcessEnv;
let runner: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(opts.stdin ?? '');
  const io: CliIO = { stdin, stdout, stderr, env: opts.env ?? baseEnv, signal: new AbortController().signal, isTTY: false };
  const code = await main(['env', ...argv], io);
  if (argv[0] === 'add' && code === 0 && argv[1]) created.add(argv[1]);
  outputs.push(out, err);
  return { code, stdout: out, stderr: err };
}

/** The CLI as a separate process (for keychain states this process must not be in). */
async function cliProcess(argv: string[], env: NodeJS.ProcessEnv, input = ''): Promise<RunResult> {
  const r = await run(process.execPath, ['--import', 'tsx', runner, 'env', ...argv], { env, input });
  outputs.push(r.stdout, r.stderr);
  return r;
}
const cliCommand = (argv: string[]) => [process.execPath, '--import', 'tsx', runner, 'env', ...argv].map(shellQuote).join(' ');

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

beforeAll(async () => {
  await assertKeyringSession();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'csd-env-cli-'));
  baseEnv = { ...process.env, STREAM_DEBUGGER_DATA_DIR: dataDir };
  for (const k of Object.keys(baseEnv)) if (k.startsWith('COGNIGY_') || k === 'STREAM_DEBUGGER_SECRETS_FROM_ENV') delete baseEnv[k];
  runner = path.join(await mkdtemp(path.join(os.tmpdir(), 'csd-runner-')), 'run-cli.mjs');
  await writeFile(runner, `const m = await import(${JSON.stringify(path.join(ROOT, 'electron/cli/index.ts'))});\nm.runFromProcess(process.argv.slice(2));\n`);
});

afterAll(async () => {
  for (const name of created) for (const kind of ['client-secret', 'api-key'] as const) await keychain.delete(name, kind).catch(() => undefined);
});

describe('env: help, list, add, show', () => {
  it('--help prints the contract on stdout; no subcommand is a usage error', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/env set-secret NAME client-secret\|api-key/);
    expect(h.stdout).toMatch(/never from the command line/);
    const none = await main(['env'], { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: baseEnv, signal: new AbortController().signal, isTTY: false });
    expect(none).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('list on a fresh machine shows the built-in demo', async () => {
    const r = await cli(['list'], { env: { ...baseEnv, STREAM_DEBUGGER_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'csd-empty-')) } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+KIND\s+HOST \/ URL\s+CLIENT SECRET\s+API KEY\n/);
    expect(r.stdout).toMatch(/demo \(built-in\)\s+gateway\s+127\.0\.0\.1 \(in-process simulator.*\)\s+per run\s+per run/);
  });

  it('adds a gateway environment with every option and shows it', async () => {
    const name = n('acme');
    const r = await cli(['add', name, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'cid-1', '--dialog-id', 'd-1', '--session-id', 's-1', '--model', 'gpt-4o', '--temperature', '0.3', '--max-tokens', '256']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toContain(`added environment "${name}" (gateway, https://acme.cognigy.ai)`);
    expect(r.stderr).toContain(`env set-secret ${name} client-secret`);
    const json = await cli(['show', name, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      name,
      kind: 'gateway',
      builtIn: false,
      baseUrl: 'https://acme.cognigy.ai',
      gateway: { host: 'acme.cognigy.ai', clientId: 'cid-1', dialogId: 'd-1', sessionId: 's-1' },
      model: { model: 'gpt-4o', temperature: 0.3, maxTokens: 256 },
      secrets: { 'client-secret': 'not set', 'api-key': 'not set' },
    });
    const text = await cli(['show', name]);
    expect(text.stdout).toMatch(/host:\s+acme\.cognigy\.ai\s+\(https:\/\/acme\.cognigy\.ai\)/);
    expect(text.stdout).toMatch(/client secret:\s+not set/);
    const list = await cli(['list']);
    expect(list.stdout).toMatch(new RegExp(`${name}\\s+gateway\\s+https://acme\\.cognigy\\.ai\\s+not set\\s+not set`));
    const lj = JSON.parse((await cli(['list', '--json'])).stdout) as { environments: Array<{ name: string; builtIn: boolean }>; keychain: { available: boolean } };
    expect(lj.environments[0]).toMatchObject({ name: 'demo', builtIn: true });
    expect(lj.environments.some((e) => e.name === name)).toBe(true);
    expect(lj.keychain).toEqual({ available: true });
  });

  it('adds a socket-endpoint environment', async () => {
    const name = n('trial');
    const r = await cli(['add', name, '--kind', 'socket-endpoint', '--endpoint-url', 'https://endpoint-trial.cognigy.ai/tok123', '--url-token', 'tok123', '--api-url', 'https://api-trial.cognigy.ai', '--user-id', 'u-1', '--session-id', 's-9']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`env set-secret ${name} api-key`);
    expect(JSON.parse((await cli(['show', name, '--json'])).stdout)).toMatchObject({
      kind: 'socket-endpoint',
      socketEndpoint: { endpointUrl: 'https://endpoint-trial.cognigy.ai/tok123', urlToken: 'tok123', apiUrl: 'https://api-trial.cognigy.ai', userId: 'u-1', sessionId: 's-9' },
    });
  });

  it('adds a socket-endpoint environment with its connection settings (channel, transport, reconnect, usage path)', async () => {
    const name = n('onprem');
    const r = await cli(['add', name, '--kind', 'socket-endpoint', '--endpoint-url', 'https://cognigy.example/sub/tok9', '--url-token', 'tok9', '--channel', 'webchat3', '--transport', 'polling', '--reset-flow', '--reconnect-interval', '2000', '--reconnection-limit', '0', '--usage-path', 'data.promptResult.usage']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse((await cli(['show', name, '--json'])).stdout)).toMatchObject({
      socketEndpoint: { channel: 'webchat3', transport: 'polling', resetFlow: true, reconnectIntervalMs: 2000, reconnectionLimit: 0, usagePath: 'data.promptResult.usage', passthroughIP: null },
    });
    const bad = await cli(['add', n('badtr'), '--kind', 'socket-endpoint', '--endpoint-url', 'https://e.example/t', '--url-token', 't', '--transport', 'pigeon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--transport must be "websocket" \(WebSocket only, the default\) or "polling"/);
  });

  it.each([
    [['add', 'x1', '--kind', 'gateway', '--client-id', 'c'], /--kind gateway needs --host/],
    [['add', 'x2', '--kind', 'gateway', '--host', 'h.example', '--client-id', 'c', '--endpoint-url', 'https://e'], /--endpoint-url cannot be used with --kind gateway/],
    [['add', 'x3', '--kind', 'socket-endpoint', '--endpoint-url', 'http://endpoint.example/t', '--url-token', 't'], /uses unencrypted http.*use https:\/\/endpoint\.example/],
    [['add', 'x4', '--kind', 'gateway', '--host', 'https://acme.cognigy.ai', '--client-id', 'c'], /must not include a scheme/],
    [['add', 'x5', '--kind', 'gateway', '--host', 'h.example', '--client-id', 'c', '--temperature', '3'], /--temperature must be a number between 0 and 2/],
    [['add', 'x6', '--kind', 'gateway', '--host', 'h.example', '--client-id', 'c', '--max-tokens', '0'], /--max-tokens must be a whole number of at least 1/],
    [['add', 'demo', '--kind', 'gateway', '--host', 'h.example', '--client-id', 'c'], /reserved for the built-in demo/],
    [['add', 'x7', '--kind', 'other'], /--kind must be "gateway" or "socket-endpoint"/],
    [['add', 'x8', '--kind', 'gateway', '--host', 'h.example', '--client-id', 'c', '--bogus'], /Unknown option '--bogus'/],
    [['add', 'bad/name', '--kind', 'gateway', '--host', 'h.example', '--client-id', 'c'], /name: use 1-64 letters/],
    [['show', `nope-${tag}`], /no environment named "nope-/],
    [['remove', 'demo'], /built-in demo environment: it cannot be removed/],
  ])('bad input %j → exit 2 with a specific message', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('adding an existing name is refused and the original kept', async () => {
    const name = n('dup');
    expect((await cli(['add', name, '--kind', 'gateway', '--host', 'one.example', '--client-id', 'c'])).code).toBe(0);
    const again = await cli(['add', name, '--kind', 'gateway', '--host', 'two.example', '--client-id', 'c']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(JSON.parse((await cli(['show', name, '--json'])).stdout).gateway.host).toBe('one.example');
  });
  it('a damaged environment file: list shows the rest and names the file (exit 1); remove still works', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'csd-broken-'));
    const env = { ...baseEnv, STREAM_DEBUGGER_DATA_DIR: dir };
    expect((await cli(['add', 'fine', '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c'], { env })).code).toBe(0);
    const broken = path.join(dir, 'environments', 'broken.json');
    await writeFile(broken, '{"name": "broken", "kind": ', { mode: 0o600 });
    const list = await cli(['list'], { env });
    expect(list.code).toBe(1);
    expect(list.stdout).toMatch(/^fine\s+gateway/m);
    expect(list.stderr).toContain(`error: ${broken}: is not valid JSON`);
    const show = await cli(['show', 'broken'], { env });
    expect(show.code).toBe(1);
    expect(show.stderr).toContain(broken);
    expect(await readFile(broken, 'utf8')).toBe('{"name": "broken", "kind": ');
    expect((await cli(['remove', 'broken'], { env })).code).toBe(0);
    expect((await cli(['list'], { env })).code).toBe(0);
  });
});

describe('env set-secret / remove (real keychain)', () => {
  it('reads the secret from stdin, trims one newline, stores it under <env>/<kind>', async () => {
    const name = n('sec');
    await cli(['add', name, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c']);
    const value = newSecret('stdin');
    const r = await cli(['set-secret', name, 'client-secret'], { stdin: `${value}\n` });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`stored the client-secret of "${name}" in the OS keychain (service ${KEYCHAIN_SERVICE}, account ${name}/client-secret)`);
    expect(await keychain.get(name, 'client-secret')).toBe(value);
    const items = (await secretToolSearch(KEYCHAIN_SERVICE)).filter((i) => i.attributes.username === `${name}/client-secret`);
    expect(items.map((i) => i.secret)).toEqual([value]);
    expect((await cli(['show', name])).stdout).toMatch(/client secret:\s+set\n/);
    // Overwrite, keeping inner whitespace and a second newline (only one is trimmed).
    const v2 = newSecret('two');
    expect((await cli(['set-secret', name, 'client-secret'], { stdin: ` ${v2}\n\n` })).code).toBe(0);
    expect(await keychain.get(name, 'client-secret')).toBe(` ${v2}\n`);
    await cli(['set-secret', name, 'api-key'], { stdin: newSecret('ak') });
    expect((await cli(['list'])).stdout).toMatch(new RegExp(`${name}\\s+gateway\\s+https://acme\\.cognigy\\.ai\\s+set\\s+set`));
  });

  it('never takes the secret from argv, and never echoes what was given there', async () => {
    const name = n('argv');
    await cli(['add', name, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c']);
    const value = newSecret('argv');
    const extra = await cli(['set-secret', name, 'client-secret', value], { stdin: 'ignored' });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/never accepted as an argument \(command lines are visible to other users in `ps` and are saved in shell history\)/);
    const asKind = await cli(['set-secret', name, value]);
    expect(asKind.code).toBe(2);
    expect(asKind.stderr).toMatch(/must be one of: client-secret, api-key/);
    const asOption = await cli(['set-secret', name, 'client-secret', `--secret=${value}`]);
    expect(asOption.code).toBe(2);
    const asName = await cli(['set-secret', value, 'client-secret'], { stdin: 'x' });
    expect(asName.code).toBe(2);
    for (const r of [extra, asKind, asOption, asName]) expect(r.stdout + r.stderr).not.toContain(value);
    expect(await keychain.get(name, 'client-secret')).toBeUndefined();
  });

  it('empty stdin, unknown environments and the demo are errors', async () => {
    const name = n('empty');
    await cli(['add', name, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c']);
    const empty = await cli(['set-secret', name, 'client-secret'], { stdin: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no client-secret on stdin/);
    expect((await cli(['set-secret', `nope-${tag}`, 'client-secret'], { stdin: 'x' })).stderr).toMatch(/no environment with that name/);
    const demo = await cli(['set-secret', 'demo', 'api-key'], { stdin: 'x' });
    expect(demo.code).toBe(2);
    expect(demo.stderr).toMatch(/makes up its credentials per run/);
  });

  it('remove deletes the environment and its secrets from the keychain', async () => {
    const name = n('gone');
    await cli(['add', name, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c']);
    await cli(['set-secret', name, 'client-secret'], { stdin: newSecret('gone-cs') });
    await cli(['set-secret', name, 'api-key'], { stdin: newSecret('gone-ak') });
    const r = await cli(['remove', name]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`removed environment "${name}" and its client-secret and api-key from the keychain`);
    expect((await secretToolSearch(KEYCHAIN_SERVICE)).filter((i) => i.attributes.username?.startsWith(`${name}/`))).toEqual([]);
    expect((await cli(['show', name])).code).toBe(2);
    expect((await cli(['remove', name])).code).toBe(2);
  });

  it('rename moves the secret, duplicate copies it, clear-secret removes it (the app\'s abilities, same service)', async () => {
    const name = n('mv');
    const value = newSecret('mv');
    await cli(['add', name, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c']);
    await cli(['set-secret', name, 'client-secret'], { stdin: value });
    const renamed = await cli(['rename', name, n('mv2')]);
    created.add(n('mv2'));
    expect(renamed).toMatchObject({ code: 0, stderr: `renamed environment "${name}" to "${n('mv2')}"\n` });
    expect(await keychain.get(name, 'client-secret')).toBeUndefined();
    expect(await keychain.get(n('mv2'), 'client-secret')).toBe(value);
    const dup = await cli(['duplicate', n('mv2'), n('mv3')]);
    created.add(n('mv3'));
    expect(dup.code).toBe(0);
    expect(dup.stderr).toContain(`duplicated environment "${n('mv2')}" as "${n('mv3')}" (gateway, https://acme.cognigy.ai)`);
    expect(await keychain.get(n('mv3'), 'client-secret')).toBe(value);
    expect((await cli(['duplicate', n('mv2'), n('mv3')])).stderr).toMatch(/an environment named ".*" already exists/);
    expect((await cli(['rename', 'demo', n('mv4')])).stderr).toMatch(/"demo" is the built-in demo environment: it cannot be changed/);
    const cleared = await cli(['clear-secret', n('mv3'), 'client-secret']);
    expect(cleared).toMatchObject({ code: 0, stderr: `removed the client-secret of "${n('mv3')}" from the OS keychain\n` });
    expect(await keychain.get(n('mv3'), 'client-secret')).toBeUndefined();
    expect(await keychain.get(n('mv2'), 'client-secret')).toBe(value);
    const missing = await cli(['rename', `nope-${tag}`, n('mv5')]);
    expect(missing).toMatchObject({ code: 2, stderr: `error: no environment named "nope-${tag}": see "npm run cli -- env list"\n` });
  });

  it('a hidden prompt on a real terminal: nothing typed is echoed', async () => {
    const name = n('tty');
    await cli(['add', name, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c']);
    const value = newSecret('tty');
    // `script` runs the CLI on a pseudo-terminal; the secret is typed only once the prompt is up (raw mode on).
    const child = spawn('script', ['-qec', cliCommand(['set-secret', name, 'client-secret']), '/dev/null'], { env: baseEnv, cwd: ROOT });
    let screen = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no prompt; screen: ${screen}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        screen += d.toString();
        if (screen.includes('(input hidden): ')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.stdin.write(`${value}\r`);
    const code = await exited;
    outputs.push(screen);
    expect(code).toBe(0);
    expect(screen).toContain(`client-secret for "${name}" (input hidden): `);
    expect(screen).toContain('stored the client-secret');
    expect(screen).not.toContain(value);
    expect(screen).not.toMatch(/\*{5,}/);
    expect(await keychain.get(name, 'client-secret')).toBe(value);
  }, 60_000);
});

describe('env test (real simulator)', () => {
  let peer: TestPeer;
  let narrow: TestPeer;
  beforeAll(async () => {
    peer = await startPeer();
    narrow = await startPeer({ grantedScopes: ['llm:stream'] });
    secrets.push(peer.creds.clientSecret, narrow.creds.clientSecret);
  });
  afterAll(async () => {
    await peer?.sim.close();
    await narrow?.sim.close();
  });

  it('gets a token and prints granted scopes and expiry (exit 0)', async () => {
    const name = n('sim');
    await cli(['add', name, '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId]);
    await cli(['set-secret', name, 'client-secret'], { stdin: `${peer.creds.clientSecret}\n` });
    const r = await cli(['test', name]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/token granted, expires \d{4}-\d\d-\d\dT/);
    expect(r.stdout).toMatch(/granted scopes: .*llm:stream/);
  });

  it('a wrong secret → exit 3; a missing secret → exit 1 with the set-secret hint', async () => {
    const name = n('wrong');
    await cli(['add', name, '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId]);
    const missing = await cli(['test', name]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no client-secret stored .*env set-secret/);
    await cli(['set-secret', name, 'client-secret'], { stdin: newSecret('wrong') });
    const r = await cli(['test', name]);
    expect(r.code).toBe(3);
  });

  it('missing scopes are named → exit 3', async () => {
    const name = n('narrow');
    await cli(['add', name, '--kind', 'gateway', '--host', `127.0.0.1:${narrow.sim.port}`, '--client-id', narrow.creds.clientId]);
    await cli(['set-secret', name, 'client-secret'], { stdin: narrow.creds.clientSecret });
    const r = await cli(['test', name]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/missing scopes: .*bot:dialog:write/);
  });

  it('--secret-from-env: the variable is used when the keychain has nothing, and that is said on stderr', async () => {
    const name = n('fromenv');
    await cli(['add', name, '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId]);
    const v = `COGNIGY_${name.toUpperCase().replace(/-/g, '_')}_CLIENT_SECRET`;
    const env = { ...baseEnv, [v]: peer.creds.clientSecret };
    expect((await cli(['test', name], { env })).code).toBe(1); // not opted in: the variable is ignored
    const r = await cli(['test', name, '--secret-from-env'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`using secret from environment variable ${v} (keychain fallback)`);
    const viaVar = await cli(['test', name], { env: { ...env, STREAM_DEBUGGER_SECRETS_FROM_ENV: '1' } });
    expect(viaVar.code).toBe(0);
  });

  it('env test demo works with no setup', async () => {
    const r = await cli(['test', 'demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/token granted/);
  });

  it('without a keychain: list/show say "unavailable" with the fix; set-secret and remove fail with reason and fix; --secret-from-env works per run', async () => {
    const name = n('nokc');
    await cli(['add', name, '--kind', 'gateway', '--host', `127.0.0.1:${peer.sim.port}`, '--client-id', peer.creds.clientId]);
    const env = await privateEnv({ STREAM_DEBUGGER_DATA_DIR: dataDir, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    for (const k of Object.keys(env)) if (k.startsWith('COGNIGY_')) delete env[k];

    const list = await cliProcess(['list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${name}\\s+gateway\\s+http://127\\.0\\.0\\.1:\\d+\\s+unavailable\\s+unavailable`));
    expect(list.stderr).toMatch(/keychain unavailable \[no-secret-service\]/);
    expect(list.stderr).toMatch(/fix: install and start gnome-keyring/);

    const value = newSecret('nokc');
    const set = await cliProcess(['set-secret', name, 'client-secret'], env, value);
    expect(set.code).toBe(1);
    expect(set.stderr).toMatch(/error: keychain unavailable \[no-secret-service\]: no Secret Service on the session D-Bus/);
    expect(set.stderr).toMatch(/fix: .*apt-get install gnome-keyring.*--secret-from-env/);

    const setFallback = await cliProcess(['set-secret', name, 'client-secret', '--secret-from-env'], env, value);
    expect(setFallback.code).toBe(1);
    expect(setFallback.stderr).toMatch(/fallback is read-only \(secrets are never written to a plain-text file\)/);

    const v = `COGNIGY_${name.toUpperCase().replace(/-/g, '_')}_CLIENT_SECRET`;
    const strict = await cliProcess(['test', name], { ...env, [v]: peer.creds.clientSecret });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/fix: /);
    const t = await cliProcess(['test', name, '--secret-from-env'], { ...env, [v]: peer.creds.clientSecret });
    expect(t.code).toBe(0);
    expect(t.stderr).toContain(`using secret from environment variable ${v} (keychain fallback)`);
    expect(t.stdout).toMatch(/granted scopes/);

    // A secret the keychain holds (learnt by the secret index while it answered) cannot be removed without
    // it: the environment is kept, and --keep-secrets removes only the settings.
    expect((await cli(['set-secret', name, 'api-key'], { stdin: newSecret('nokc-ak') })).code).toBe(0);
    const rm = await cliProcess(['remove', name], env);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toMatch(/could not remove the secrets .* so the environment was kept/);
    expect(rm.stderr).toMatch(/its api-key cannot be removed: the keychain cannot be reached/);
    expect(rm.stderr).toMatch(/--keep-secrets/);
    expect((await cli(['show', name])).code).toBe(0);
    const keep = await cliProcess(['remove', name, '--keep-secrets'], env);
    expect(keep.code).toBe(0);
    expect(keep.stderr).toContain('its keychain entries were kept (--keep-secrets)');
    expect((await cli(['show', name])).code).toBe(2);

    // An environment that never had a secret is removed without a keychain, as in the app (secret index).
    const bare = n('nokc-bare');
    await cli(['add', bare, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c']);
    const gone = await cliProcess(['remove', bare], env);
    expect(gone.code).toBe(0);
    expect(gone.stderr).toContain(`removed environment "${bare}" (it had no secrets in the keychain)`);
    expect((await cli(['show', bare])).code).toBe(2);
  }, 180_000);
});

describe('env with a LOCKED keyring (private D-Bus session)', () => {
  it('set-secret fails with reason "locked" and the unlock fix; show says unavailable', async () => {
    const name = n('locked');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'csd-locked-'));
    const env = await privateEnv({ STREAM_DEBUGGER_DATA_DIR: dir });
    const first = newSecret('locked-1');
    const second = newSecret('locked-2');
    const script = [
      START_UNLOCKED_KEYRING,
      `${cliCommand(['add', name, '--kind', 'gateway', '--host', 'acme.cognigy.ai', '--client-id', 'c'])} 2>/dev/null`,
      `printf %s ${shellQuote(first)} | ${cliCommand(['set-secret', name, 'client-secret'])} 2>/dev/null`,
      LOCK_LOGIN_KEYRING,
      `printf %s ${shellQuote(second)} | ${cliCommand(['set-secret', name, 'client-secret'])} || echo "exit=$?"`,
      `${cliCommand(['show', name])} || echo "exit=$?"`,
    ].join('\n');
    const r = await inPrivateSession(script, env);
    outputs.push(r.stdout, r.stderr);
    expect(r.stdout).toContain('exit=1');
    expect(r.stderr).toMatch(/error: keychain unavailable \[locked\]: the keyring is locked/);
    expect(r.stderr).toMatch(/fix: unlock your keyring/);
    expect(r.stdout).toMatch(/client secret:\s+unavailable/);
    expect(r.stderr).toMatch(/note: secrets shown as "unavailable": keychain unavailable \[locked\]/);
  }, 120_000);
});

describe('no secret anywhere it must not be', () => {
  it('no secret in any output of this file or in any file of the data dir', async () => {
    expect(secrets.length).toBeGreaterThan(8);
    const all = outputs.join('\n');
    for (const s of secrets) expect(all.includes(s), `secret ${s.slice(0, 12)}… leaked into output`).toBe(false);
    const files = await filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      for (const s of secrets) expect(text.includes(s), `secret found in ${f}`).toBe(false);
      expect(text).not.toMatch(/clientSecret|apiKey|S3cr3t-/);
    }
  });
});
