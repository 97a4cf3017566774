// End-to-end harness: the real `ui` command as a child process (browser mode) and Debian's Chromium driven by
// playwright-core with a fresh profile. Console errors and page errors are collected so every test can
// assert there were none.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../electron/core/simulator';
import { run } from '../core/secrets/keyring-session';
import { CLI, ensureCliBuilt, newest } from '../helpers/cli';

export const ROOT = resolve(__dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts/e2e');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Builds the renderer (electron-vite) and the CLI when missing or older than their sources. */
export async function ensureBuilt(): Promise<void> {
  await ensureCliBuilt();
  const index = join(ROOT, 'out/renderer/index.html');
  const src = Math.max(newest(join(ROOT, 'renderer')), newest(join(ROOT, 'shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= src) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (r.status !== 0) throw new Error(`renderer build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface UiProcess {
  url: string;
  origin: string;
  port: number;
  token: string;
  xdg: string;
  dataDir: string;
  proc: ChildProcess;
  stderr(): string;
  stop(): Promise<number | null>;
}

export interface StartUiOptions {
  /** Reuse a config dir (a second run over the same data); default a fresh one, removed on stop. */
  xdg?: string;
  /** Extra environment, e.g. DBUS_SESSION_BUS_ADDRESS of a bus without a Secret Service. */
  env?: NodeJS.ProcessEnv;
}

export async function startUi(extraArgs: string[] = [], opts: StartUiOptions = {}): Promise<UiProcess> {
  const xdg = opts.xdg ?? mkdtempSync(join(tmpdir(), 'e2e-xdg-'));
  const proc = spawn(process.execPath, [CLI, 'ui', '--port', '0', '--no-open', ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, XDG_CONFIG_HOME: xdg, STREAM_DEBUGGER_DATA_DIR: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const line = await new Promise<string>((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error(`no ready line within 20 s; stderr:\n${err}`)), 20_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /^ui ready at (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(t);
        res(m[1]!);
      }
    });
    proc.once('exit', (code) => rej(new Error(`ui exited (${code}) before ready; stderr:\n${err}`)));
  });
  const u = new URL(line);
  return {
    url: line,
    origin: u.origin,
    port: Number(u.port),
    token: u.searchParams.get('token') ?? '',
    xdg,
    dataDir: join(xdg, 'cognigy-stream-debugger'),
    proc,
    stderr: () => err,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      const code = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
      proc.kill('SIGTERM');
      const c = await code;
      if (!opts.xdg) rmSync(xdg, { recursive: true, force: true });
      return c;
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  problems: string[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(url: string, opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: opts.viewport ?? { width: 1440, height: 880 },
    colorScheme: opts.colorScheme ?? 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss().catch(() => undefined);
  });
  await page.goto(url);
  return {
    context,
    page,
    problems,
    async shot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface DebugState {
  session: { state: string; sending: boolean; activeTurnId: string | null; turns: { order: string[]; byId: Record<string, { status: string }> } };
}

/** The store's state through the ?debug=1 hook (serialisable parts only). */
export async function storeState(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify((window as unknown as { __debuggerStore: { getState(): unknown } }).__debuggerStore.getState()));
}

interface SessionSummary {
  state: string;
  sending: boolean;
  activeTurnId: string | null;
  turns: number;
  last?: string;
}

/** The session's state in a line, for a wait that ran out. */
async function sessionSummary(page: Page): Promise<SessionSummary> {
  return page.evaluate(() => {
    const s = (window as unknown as { __debuggerStore: { getState(): DebugState } }).__debuggerStore.getState().session;
    const last = s.turns.byId[s.turns.order[s.turns.order.length - 1] ?? ''];
    return { state: s.state, sending: s.sending, activeTurnId: s.activeTurnId, turns: s.turns.order.length, last: last?.status };
  });
}

/**
 * Types a message and presses Enter once Send is enabled: Enter sends only when the session is open and no
 * turn runs, and a page just opened may still be opening its session. A trial click waits until the
 * button is enabled, as a person would. Returns the session's state at the press.
 */
export async function submitMessage(page: Page, input: string): Promise<SessionSummary> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(input);
  await page.getByRole('button', { name: 'Send', exact: true }).click({ trial: true });
  const atPress = await sessionSummary(page);
  await box.press('Enter');
  return atPress;
}

/** Sends a message in the composer, optionally with a demo scenario, and waits for that turn to end. */
export async function sendTurn(page: Page, input: string, scenario?: string, timeoutMs = 30_000): Promise<void> {
  if (scenario) await page.getByRole('combobox', { name: 'Scenario' }).selectOption(scenario);
  const before = (await sessionSummary(page)).turns;
  const atPress = await submitMessage(page, input);
  try {
    await page.waitForFunction(
      (n) => {
        const s = (window as unknown as { __debuggerStore: { getState(): DebugState } }).__debuggerStore.getState().session.turns;
        const id = s.order[s.order.length - 1] ?? '';
        const last = s.byId[id];
        if (!(s.order.length > n && last && last.status !== 'streaming')) return false;
        // The lanes take in a new state in a render of their own (lane-pace.ts): wait until both show the end.
        return document.querySelectorAll(`.row-foot[data-turn="${CSS.escape(id)}"] .foot.st-${last.status}`).length >= 2;
      },
      before,
      { timeout: timeoutMs },
    );
  } catch (e) {
    throw new Error(`the turn for ${JSON.stringify(input)} did not end: session at Enter ${JSON.stringify(atPress)}, now ${JSON.stringify(await sessionSummary(page))}`, { cause: e });
  }
}

/** The size the product promises to fit without overflow or scrolling for results. */
export const SMALL_SCREEN = { width: 1280, height: 720 };

export interface BareBus {
  /** DBUS_SESSION_BUS_ADDRESS of a D-Bus session on which no Secret Service exists or can be activated. */
  address: string;
  stop(): void;
}

/** A private D-Bus session daemon with no service directories: the "no keychain" of a headless machine. */
export async function startBusWithoutSecretService(config: string): Promise<BareBus> {
  const proc = spawn('dbus-daemon', [`--config-file=${config}`, '--print-address=1', '--nofork'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const address = await new Promise<string>((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error(`dbus-daemon printed no address within 10 s: ${err}`)), 10_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('unix:'));
      if (line) {
        clearTimeout(t);
        res(line.trim());
      }
    });
    proc.once('exit', (code) => rej(new Error(`dbus-daemon exited (${code}): ${err}`)));
  });
  return { address, stop: () => void proc.kill('SIGTERM') };
}

/**
 * One `ui` process for a test file (started before its tests, stopped after them with exit 0 expected), and
 * browsers opened through `open` closed after each test.
 */
export function sharedUi(extraArgs: string[] = [], opts: StartUiOptions = {}): { readonly ui: UiProcess; open: typeof openBrowser } {
  let ui: UiProcess | undefined;
  const browsers: Browser[] = [];
  beforeAll(async () => {
    await ensureBuilt();
    ui = await startUi(extraArgs, opts);
  }, 180_000);
  afterEach(async () => {
    for (const b of browsers.splice(0)) await b.close();
  });
  afterAll(async () => {
    for (const b of browsers.splice(0)) await b.close();
    if (ui) expect(await ui.stop()).toBe(0);
  });
  return {
    get ui() {
      if (!ui) throw new Error('the ui process is not started yet (use it inside a test)');
      return ui;
    },
    async open(url, o) {
      const b = await openBrowser(url, o);
      browsers.push(b);
      return b;
    },
  };
}

/**
 * sharedUi over a simulator's Socket Endpoint: the simulator, and one socket-endpoint environment added by
 * the CLI's `env add` (as a user would) to the ui's own config dir before the ui starts. No management API
 * URL: nothing is synced, so no secret is needed. Everything is removed after the file's tests.
 */
export function sharedUiOverSocketEndpoint(
  envName: string,
  simulator: Omit<SimulatorOptions, 'port'> & { urlToken: string },
  uiArgs: string[] = [],
): { readonly ui: UiProcess; open: typeof openBrowser } {
  const xdg = mkdtempSync(join(tmpdir(), 'e2e-xdg-'));
  let sim: Simulator | undefined;
  beforeAll(async () => {
    await ensureBuilt();
    sim = await createSimulator({ ...simulator, port: 0 });
    const add = await run(process.execPath, [CLI, 'env', 'add', envName, '--kind', 'socket-endpoint', '--endpoint-url', `http://127.0.0.1:${sim.port}`, '--url-token', simulator.urlToken], {
      env: { ...process.env, XDG_CONFIG_HOME: xdg, STREAM_DEBUGGER_DATA_DIR: '' },
      timeoutMs: 60_000,
    });
    expect(add.code, add.stderr).toBe(0);
  }, 180_000);
  // Registered before sharedUi's: after-all hooks run in reverse, so this runs once the ui has stopped.
  afterAll(async () => {
    await sim?.close();
    rmSync(xdg, { recursive: true, force: true });
  });
  const shared = sharedUi(uiArgs, { xdg });
  return shared;
}
