// Browser mode on a machine without a keychain, for real: the `ui` process runs on a D-Bus session on which
// no Secret Service exists (its own dbus-daemon without service directories), the way a headless box or a
// container is. Environments were set up before with the test session's real gnome-keyring (one with a
// secret, some without), so the keychain really holds a secret the app can no longer reach.
// Nothing may fail silently, nothing may leave the user stuck, and nothing that needs no secret may care.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../electron/core/simulator';
import { CLI } from '../helpers/cli';
import { assertKeyringSession, busConfigWithoutServices, run } from '../core/secrets/keyring-session';
import { ensureBuilt, openBrowser, sendTurn, SMALL_SCREEN, startBusWithoutSecretService, startUi, storeState, type BareBus, type Browser, type UiProcess } from './ui-harness';

const SECRET = `no-keychain-secret-${process.pid}-Kq7`;
const TYPED = `typed-but-not-stored-${process.pid}`;
let sim: Simulator;
let xdg: string;
let bus: BareBus;
let ui: UiProcess;
let b: Browser | undefined;

const cli = (args: string[], env: NodeJS.ProcessEnv, input?: string) => run(process.execPath, [CLI, ...args], { env: { ...process.env, XDG_CONFIG_HOME: xdg, STREAM_DEBUGGER_DATA_DIR: '', ...env }, input, timeoutMs: 60_000 });
const lookup = (account: string) => spawnSync('secret-tool', ['lookup', 'service', 'cognigy-stream-debugger', 'username', account], { encoding: 'utf8' }).stdout;
const envFile = (name: string) => join(xdg, 'cognigy-stream-debugger', 'environments', `${name}.json`);

beforeAll(async () => {
  await assertKeyringSession();
  await ensureBuilt();
  sim = await createSimulator({ port: 0, clientId: 'nk-client', clientSecret: SECRET, urlToken: 'nk-token', apiKey: 'nk-key', speed: 0 });
  xdg = mkdtempSync(join(tmpdir(), 'e2e-nokeychain-'));
  // Set up while the keychain works (the test session's gnome-keyring).
  const setup = [
    ['env', 'add', 'had-secret', '--kind', 'gateway', '--host', `127.0.0.1:${sim.port}`, '--client-id', 'nk-client'],
    ['env', 'add', 'sock', '--kind', 'socket-endpoint', '--endpoint-url', `http://127.0.0.1:${sim.port}`, '--url-token', 'nk-token'],
  ];
  for (const args of setup) expect((await cli(args, {})).code).toBe(0);
  const stored = await cli(['env', 'set-secret', 'had-secret', 'client-secret'], {}, SECRET);
  expect(stored.code, stored.stderr).toBe(0);
  expect(lookup('had-secret/client-secret')).toBe(SECRET);
  // From here on: no Secret Service.
  bus = await startBusWithoutSecretService(await busConfigWithoutServices());
  ui = await startUi([], { xdg, env: { DBUS_SESSION_BUS_ADDRESS: bus.address } });
}, 180_000);

afterAll(async () => {
  expect(await ui?.stop()).toBe(0);
  bus?.stop();
  await sim?.close();
  spawnSync('secret-tool', ['clear', 'service', 'cognigy-stream-debugger', 'username', 'had-secret/client-secret']);
  rmSync(xdg, { recursive: true, force: true });
});

afterEach(async () => {
  await b?.close();
  b = undefined;
});

async function environments(colorScheme: 'light' | 'dark' = 'light') {
  b = await openBrowser(`${ui.url}&debug=1`, { viewport: SMALL_SCREEN, colorScheme });
  await b.page.getByRole('button', { name: 'Environments' }).click();
  await b.page.getByRole('note', { name: 'Keychain unavailable' }).waitFor();
  return b.page;
}

describe('browser mode without a keychain', () => {
  it('says so once, in plain words, with the fix, and names no internal probe or D-Bus text', async () => {
    const page = await environments();
    const note = page.getByRole('note', { name: 'Keychain unavailable' });
    expect(await note.textContent()).toMatch(/no Secret Service on the session D-Bus.*Fix: install and start gnome-keyring.*--secret-from-env/s);
    await page.getByRole('button', { name: /had-secret/ }).click();
    await page.getByRole('form', { name: 'Environment had-secret' }).waitFor();
    const text = (await page.locator('body').innerText()) ?? '';
    expect(text.match(/Keychain unavailable/g)).toHaveLength(1);
    for (const raw of ['~probe', 'DBus error', 'Platform failure', 'org.freedesktop', '.service files']) expect(text).not.toContain(raw);
    await b!.shot('nokeychain-01-note-light');
    await b!.close();
    await environments('dark');
    await b!.shot('nokeychain-01-note-dark');
    expect(b!.problems).toEqual([]);
  }, 60_000);

  it('saving with a secret: "settings saved, secret not stored", and the typed secret stays in its field', async () => {
    const page = await environments();
    await page.getByRole('button', { name: 'New environment' }).click();
    const form = page.getByRole('form', { name: 'New environment' });
    await form.getByLabel('Name').fill('new-gw');
    await form.getByLabel('Host').fill(`127.0.0.1:${sim.port}`);
    await form.getByLabel('Client ID').fill('nk-client');
    await form.getByLabel('Client secret', { exact: true }).fill(TYPED);
    await form.getByRole('button', { name: 'Save' }).click();
    const saved = page.getByRole('form', { name: 'Environment new-gw' });
    await saved.waitFor();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toMatch(/Settings saved, secret not stored: the keychain cannot be reached/);
    expect(await saved.getByLabel('Client secret', { exact: true }).inputValue()).toBe(TYPED);
    expect(existsSync(envFile('new-gw'))).toBe(true);
    expect(await page.getByRole('button', { name: /new-gw/ }).count()).toBe(1);
    expect(await storeState(page)).not.toContain(TYPED);
    // Test connection: the keychain is its own cause, the result is on screen at 1280×720.
    await saved.getByRole('button', { name: 'Test connection' }).click();
    const report = page.getByRole('status', { name: 'Connection test result' });
    await report.waitFor({ timeout: 20_000 });
    expect(await report.locator('.cause').textContent()).toBe('keychain');
    expect(await report.textContent()).not.toMatch(/internal|DBus error/);
    const box = (await report.boundingBox())!;
    expect(box.y + Math.min(box.height, 120)).toBeLessThanOrEqual(SMALL_SCREEN.height);
    await b!.shot('nokeychain-02-saved-secret-not-stored');
    expect(b!.problems).toEqual([]);
  }, 60_000);

  it('duplicating: works without a secret; with one it says plainly that the secret could not be copied', async () => {
    const page = await environments();
    await page.getByRole('button', { name: /^sock/ }).click();
    let form = page.getByRole('form', { name: 'Environment sock' });
    await form.getByRole('button', { name: 'Duplicate' }).click();
    await form.getByRole('button', { name: 'Create copy' }).click();
    await page.getByRole('form', { name: 'Environment sock-copy' }).waitFor();
    expect(existsSync(envFile('sock-copy'))).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: /could not be copied/ }).count()).toBe(0);

    await page.getByRole('button', { name: /had-secret/ }).click();
    form = page.getByRole('form', { name: 'Environment had-secret' });
    await form.getByRole('button', { name: 'Duplicate' }).click();
    await form.getByRole('button', { name: 'Create copy' }).click();
    await page.getByRole('form', { name: 'Environment had-secret-copy' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: /could not be copied/ }).textContent()).toMatch(/Settings copied to "had-secret-copy", but its client-secret could not be copied: the keychain cannot be reached/);
    expect(existsSync(envFile('had-secret-copy'))).toBe(true);
    expect(await page.getByRole('button', { name: /had-secret-copy/ }).count()).toBe(1);
    await b!.shot('nokeychain-03-duplicate-notice');
    expect(b!.problems).toEqual([]);
  }, 60_000);

  it('deleting: nothing to remove is no error; a secret it cannot remove is asked about, and kept on request', async () => {
    const page = await environments();
    await page.getByRole('button', { name: /new-gw/ }).click();
    let form = page.getByRole('form', { name: 'Environment new-gw' });
    await form.getByRole('button', { name: 'Delete' }).click();
    await form.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: /new-gw/ }).waitFor({ state: 'detached' });
    expect(existsSync(envFile('new-gw'))).toBe(false);

    await page.getByRole('button', { name: /^had-secret/ }).first().click();
    form = page.getByRole('form', { name: 'Environment had-secret' });
    await form.getByRole('button', { name: 'Delete' }).click();
    await form.getByRole('button', { name: 'Delete' }).click();
    const ask = form.getByRole('alertdialog', { name: 'The secret cannot be removed' });
    await ask.waitFor();
    expect(await ask.textContent()).toMatch(/its client-secret cannot be removed/);
    expect(existsSync(envFile('had-secret'))).toBe(true);
    await b!.shot('nokeychain-04-delete-asks');
    await ask.getByRole('button', { name: 'Delete settings, keep secret' }).click();
    await page.getByRole('form', { name: 'Environment had-secret' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('status').filter({ hasText: /stayed in the keychain/ }).count()).toBe(1);
    expect(existsSync(envFile('had-secret'))).toBe(false);
    // The secret really is still in the keychain (asked through the test session's working one).
    expect(lookup('had-secret/client-secret')).toBe(SECRET);
    expect(b!.problems).toEqual([]);
  }, 60_000);

  it('an environment that needs no secret streams (app and CLI) without asking the keychain', async () => {
    b = await openBrowser(`${ui.url}&debug=1`, { viewport: SMALL_SCREEN });
    const { page } = b;
    await page.getByRole('combobox', { name: 'Environment' }).selectOption('sock');
    await expect.poll(() => page.getByText('ready · socket-endpoint').count(), { timeout: 20_000 }).toBe(1);
    await sendTurn(page, 'hello without a keychain');
    expect(await page.getByRole('region', { name: 'Raw tokens' }).textContent()).toMatch(/complete · \d+ tokens/);
    const streamed = await cli(['stream', '--env', 'sock', '--input', 'hello from the CLI'], { DBUS_SESSION_BUS_ADDRESS: bus.address });
    expect(streamed.stderr).not.toMatch(/keychain/i);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout.length).toBeGreaterThan(20);
    expect(b.problems).toEqual([]);
  }, 60_000);
});
