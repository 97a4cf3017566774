// Test support for the keychain tests: they run against a REAL gnome-keyring. `npm test` (scripts/test.sh)
// starts vitest inside `dbus-run-session` with an unlocked throwaway keyring; the cases that need another
// keychain state (no D-Bus, no Secret Service, locked, no default keyring) run a child process in a private
// D-Bus session of their own, so they never disturb the shared one other test files use.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const pexec = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const PROBE = path.join(ROOT, 'tests/core/secrets/fixtures/keychain-probe.ts');

const HOW = 'the keychain tests need a D-Bus session with an unlocked gnome-keyring: run them via `npm test` (scripts/test.sh), ' +
  'or only some of them with `bash scripts/test.sh tests/core/secrets`';

/** Fails (never skips) when the test process has no reachable Secret Service. */
export async function assertKeyringSession(): Promise<void> {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error(`DBUS_SESSION_BUS_ADDRESS is not set: ${HOW}`);
  try {
    await pexec('secret-tool', ['search', 'service', 'cognigy-stream-debugger-session-check'], { timeout: 10_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`secret-tool (libsecret-tools) is not installed: ${HOW}`);
    // secret-tool exits 1 when nothing matches; anything on stderr means the service is not there.
    if (e.stderr?.trim()) throw new Error(`no usable Secret Service (${e.stderr.trim()}): ${HOW}`);
  }
}

export interface SecretToolItem {
  label: string;
  attributes: Record<string, string>;
  secret?: string;
}

/** `secret-tool search --all service <service>`, parsed: the independent view of what is in the keyring. */
export async function secretToolSearch(service: string, env: NodeJS.ProcessEnv = process.env): Promise<SecretToolItem[]> {
  const { stdout, stderr } = await pexec('secret-tool', ['search', '--all', 'service', service], { env, timeout: 10_000 }).catch(
    (err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
  const items: SecretToolItem[] = [];
  let cur: SecretToolItem | undefined;
  for (const l of `${stdout}\n${stderr}`.split('\n')) {
    if (/^\[.*\]$/.test(l)) items.push((cur = { label: '', attributes: {} }));
    else if (cur) {
      const m = /^(\S+) = (.*)$/.exec(l);
      if (!m) continue;
      const [, k, v] = m as unknown as [string, string, string];
      if (k === 'label') cur.label = v;
      else if (k === 'secret') cur.secret = v;
      else if (k.startsWith('attribute.')) cur.attributes[k.slice('attribute.'.length)] = v;
    }
  }
  return items;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with the given environment and stdin; resolves when it exits. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * An environment for a child process with its own throwaway keyring dirs and no display, so that gnome-keyring
 * can never pop up a real unlock dialog on a developer's desktop (it fails the prompt instead).
 */
export async function privateEnv(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'csd-keyring-'));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: path.join(base, 'data'), XDG_RUNTIME_DIR: base, HOME: base, ...extra };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

/** A D-Bus session config with no service directories: a bus on which no Secret Service can ever appear. */
export async function busConfigWithoutServices(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'csd-bus-'));
  const file = path.join(dir, 'session.conf');
  await writeFile(
    file,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  return file;
}

/**
 * A D-Bus session configuration whose Secret Service is a gnome-keyring started by D-Bus on first use, unlocked
 * (scripts/keyring-bus.sh, the same one `npm test` runs on). Use with privateEnv({ XDG_DATA_HOME: dataDir }).
 * `starts.log` gets one line per daemon start: its pid.
 */
export async function keyringBus(): Promise<{ config: string; dataDir: string; startsLog: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'csd-keyring-bus-'));
  const r = await run('bash', [path.join(ROOT, 'scripts/keyring-bus.sh'), dir]);
  if (r.code !== 0) throw new Error(`scripts/keyring-bus.sh failed: ${r.stderr}`);
  return { config: path.join(dir, 'session.conf'), dataDir: path.join(dir, 'data'), startsLog: path.join(dir, 'starts.log') };
}

/** `node --import tsx <probe> <args>`: one SecretStore operation in a child process, result as JSON on stdout. */
export function probeCommand(args: string[]): string {
  return ['node', '--import', 'tsx', PROBE, ...args].map(shellQuote).join(' ');
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs a bash script inside a private `dbus-run-session` (optionally with a custom bus config). */
export function inPrivateSession(script: string, env: NodeJS.ProcessEnv, busConfig?: string, input?: string): Promise<RunResult> {
  const args = [...(busConfig ? [`--config-file=${busConfig}`] : []), '--', 'bash', '-euo', 'pipefail', '-c', script];
  return run('dbus-run-session', args, { env, input });
}

/**
 * Starts gnome-keyring with an unlocked login keyring and returns once it serves the Secret Service.
 * Plain `gnome-keyring-daemon --unlock` returns before the daemon has unlocked anything or joined the bus, and
 * a client in that window makes D-Bus activate a second daemon, one without a login keyring. In the
 * foreground the daemon closes its stdout once it is fully up, so the script reads that pipe to its end.
 */
function unlockedKeyring(flags: string): string {
  return `(echo -n test-pw | gnome-keyring-daemon ${flags}--foreground --unlock --components=secrets 2>/dev/null &) | cat >/dev/null`;
}
export const START_UNLOCKED_KEYRING = unlockedKeyring('');
/** Replaces the running daemon (which quits) with a new one that unlocks the same login keyring. */
export const RESTART_UNLOCKED_KEYRING = unlockedKeyring('--replace ');
// dbus-send (package dbus-bin, part of dbus) rather than gdbus: one package fewer for CI to install.
export const LOCK_LOGIN_KEYRING =
  'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null';
/** Prints `variant boolean true` when the login keyring is locked. */
export const SHOW_LOGIN_LOCKED =
  'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets/collection/login org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked';

export interface ProbeResult {
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string; reason?: string; fix?: string; detail?: string };
}

/** The JSON lines the probe printed (one per operation). */
export function probeResults(stdout: string): ProbeResult[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ProbeResult);
}
