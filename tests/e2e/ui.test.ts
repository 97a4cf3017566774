// The renderer in real Chromium against the real engine through browser mode (`ui`), as a user sees it.
// Screenshots go to test-artifacts/e2e/.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sendTurn, sharedUi, storeState, submitMessage, type Browser } from './ui-harness';

const shared = sharedUi();
let b: Browser | undefined;

const raw = () => b!.page.getByRole('region', { name: 'Raw tokens' });
const filtered = () => b!.page.getByRole('region', { name: 'Filtered tokens' });
const debugUrl = () => `${shared.ui.url}&debug=1`;

function readTree(dir: string): string {
  let out = '';
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out += readFileSync(join(e.parentPath, e.name), 'utf8');
  return out;
}

describe('browser mode in Chromium', () => {
  it('first launch: the demo is selected and a turn streams into both lanes; the token leaves the address bar', async () => {
    b = await shared.open(debugUrl());
    const { page } = b;
    await expect.poll(() => page.getByRole('combobox', { name: 'Environment' }).inputValue()).toBe('demo');
    expect(await page.getByRole('combobox', { name: 'Environment' }).locator('option:checked').textContent()).toBe('Demo (built-in simulator)');
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.getByText('ready · gateway').count()).toBe(1);
    await submitMessage(page, 'What are the naming rules?');
    // Mid-stream: both lanes fill while it is still streaming.
    await page.getByRole('button', { name: 'Cancel' }).waitFor({ timeout: 10_000 });
    await expect.poll(async () => ((await raw().textContent()) ?? '').length, { timeout: 10_000 }).toBeGreaterThan(60);
    await b.shot('01-streaming');
    await page.getByRole('button', { name: 'Cancel' }).waitFor({ state: 'detached', timeout: 30_000 });
    expect(await raw().textContent()).toContain('snake_case');
    expect(await filtered().textContent()).toContain('snake_case');
    expect(await raw().textContent()).toMatch(/complete · \d+ tokens · TTFT/);
    await page.getByRole('tab', { name: 'Timing' }).click();
    await page.getByRole('img', { name: /Inter-token gaps of turn 1/ }).waitFor();
    await b.shot('02-first-turn-timing');
    // Keyboard only: Tab reaches the views, the lanes and the details tabs (Send stays disabled while empty).
    await page.locator('body').focus();
    const reached: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.getAttribute('aria-label') ?? el?.textContent?.trim().slice(0, 30) ?? '';
      }));
    }
    expect(reached).toEqual(expect.arrayContaining(['Environments', 'Raw tokens, scrollable', 'Filtered tokens, scrollable', 'Timing']));
    await page.getByRole('textbox', { name: 'Message' }).focus();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer-message');
    expect(b.problems).toEqual([]);
  }, 60_000);

  it('PII scenario: card digits in the raw lane, masked in the filtered lane; the inspector maps them to tokens', async () => {
    b = await shared.open(debugUrl());
    const { page } = b;
    await sendTurn(page, 'Show the customer record', 'pii');
    const rawText = (await raw().textContent()) ?? '';
    const filteredText = (await filtered().textContent()) ?? '';
    expect(rawText).toContain('4111 1111 1111 1111');
    expect(rawText).toContain('jane.doe@example.com');
    expect(filteredText).not.toMatch(/4111|1111 1111|jane\.doe|DE89|415 555/);
    expect(filteredText).toContain('[CREDIT_CARD]');
    expect(await raw().locator('.hit-start[data-type="CREDIT_CARD"]').count()).toBe(1);
    // Click a token inside the card number: the inspector lists where it came from.
    // A real mouse click at the token's centre (Playwright's own hit test trips over the clipped lane rows).
    const box = (await raw().locator('.hit[data-tok]').first().boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('table').locator('tbody tr').first().textContent()).toMatch(/^\d+411/);
    await page.getByRole('button', { name: 'Whole answer' }).click();
    await b.shot('03-pii-inspector');
    await page.getByRole('tab', { name: /Issues/ }).click();
    await page.getByRole('heading', { name: 'Detections' }).waitFor();
    expect(await page.locator('.hit-badge').allTextContents()).toEqual(expect.arrayContaining(['CREDIT_CARD', 'EMAIL_ADDRESS', 'IBAN_CODE', 'PHONE_NUMBER']));
    expect(b.problems).toEqual([]);
  }, 60_000);

  it('rate-limit scenario: the retry with its typed cause shows, then the answer; the sync timeline retries', async () => {
    b = await shared.open(debugUrl());
    const { page } = b;
    await sendTurn(page, 'Check the limits', 'rate-limit');
    expect(await raw().locator('.cause').first().textContent()).toBe('rate_limited');
    expect(await raw().textContent()).toMatch(/attempt 1 of \d failed · retrying in 1\.00 s/);
    expect(await filtered().textContent()).toMatch(/rate limited \(429\): retrying in 1\.00 s/);
    await page.getByRole('tab', { name: /Sync/ }).click();
    const timeline = page.getByRole('list', { name: /sync timeline/ });
    await expect.poll(() => timeline.textContent(), { timeout: 20_000 }).toMatch(/retrying.*\(rate_limited\).*synced/);
    await b.shot('04-rate-limit-sync');
    expect(b.problems).toEqual([]);
  }, 60_000);

  it('a dropped connection keeps the partial answer visible, marked partial, with cause and fallback', async () => {
    b = await shared.open(debugUrl());
    const { page } = b;
    await sendTurn(page, 'Tell me everything', 'drop');
    expect(await raw().textContent()).toMatch(/partial \(network/);
    expect(await raw().locator('.row-partial').count()).toBeGreaterThan(0);
    expect(await raw().locator('.cause').first().textContent()).toBe('network');
    expect(await filtered().textContent()).toMatch(/network the end user received [\d,]+ characters of the answer, then the fallback "\S/);
    await page.getByRole('tab', { name: /Issues/ }).click();
    await page.getByText(/Partial answer: the stream ended early \(network\)/).waitFor();
    await b.shot('10-partial-drop');
    expect(b.problems).toEqual([]);
  }, 60_000);

  it('hostile token text is shown as text and never executes', async () => {
    b = await shared.open(debugUrl());
    const { page } = b;
    const hostile = '<img src=x onerror=window.__pwned=1>\u202Eevil\u200B<b>x</b>';
    await sendTurn(page, hostile, 'happy');
    await sendTurn(page, 'Send me emoji', 'emoji-split');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.lanes img, .lanes b').count()).toBe(0);
    const rawText = (await raw().textContent()) ?? '';
    expect(rawText).toContain('<img src=x onerror=window.__pwned=1>');
    expect(rawText).toContain('⟨U+202E⟩evil⟨U+200B⟩<b>x</b>');
    expect(rawText).not.toContain('\u202E');
    expect(rawText).toContain('🎉');
    await b.shot('05-hostile-text');
    expect(b.problems).toEqual([]);
  }, 90_000);

  it('an environment with a secret: the secret goes to the keychain and nowhere in the data dir, DOM or state', async () => {
    const SECRET = `e2e-secret-${Date.now()}-Zq9`;
    b = await shared.open(debugUrl());
    const { page } = b;
    await page.getByRole('button', { name: 'Environments' }).click();
    await page.getByRole('button', { name: 'New environment' }).click();
    const form = page.getByRole('form', { name: 'New environment' });
    await form.getByLabel('Name').fill('e2e-env');
    await form.getByLabel('Host').fill('127.0.0.1:9');
    await form.getByLabel('Client ID').fill('e2e-client');
    await form.getByLabel('Client secret', { exact: true }).fill(SECRET);
    await form.getByRole('button', { name: 'Save' }).click();
    const saved = page.getByRole('form', { name: 'Environment e2e-env' });
    await saved.getByLabel('Client secret: set').waitFor();
    const lookup = execFileSync('secret-tool', ['lookup', 'service', 'cognigy-stream-debugger', 'username', 'e2e-env/client-secret'], { encoding: 'utf8' });
    expect(lookup).toBe(SECRET);
    expect(readTree(shared.ui.dataDir)).toContain('e2e-client');
    expect(readTree(shared.ui.dataDir)).not.toContain(SECRET);
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.value).join('\n'))).not.toContain(SECRET);
    expect(await storeState(page)).not.toContain(SECRET);
    expect(shared.ui.stderr()).not.toContain(SECRET);
    await saved.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status', { name: 'Connection test result' }).waitFor({ timeout: 20_000 });
    await b.shot('06-environment-saved');
    // (@napi-rs/keyring stores the account in the Secret Service attribute `username`.)
    // Deleting the environment removes its secret from the keychain too.
    await saved.getByRole('button', { name: 'Delete' }).click();
    await saved.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: /e2e-env/ }).waitFor({ state: 'detached' });
    const gone = spawnSync('secret-tool', ['lookup', 'service', 'cognigy-stream-debugger', 'username', 'e2e-env/client-secret'], { encoding: 'utf8' });
    expect(gone.stdout).toBe('');
    expect(b.problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
  }, 60_000);

  it('the demo environment tests its connection: token expiry and granted scopes', async () => {
    b = await shared.open(debugUrl(), { colorScheme: 'dark' });
    const { page } = b;
    await page.getByRole('button', { name: 'Environments' }).click();
    await page.getByRole('button', { name: 'Test connection' }).click();
    const report = page.getByRole('status', { name: 'Connection test result' });
    await report.waitFor({ timeout: 20_000 });
    expect(await report.textContent()).toMatch(/connected.*Token expires\s*in \d+ min.*llm:stream/s);
    await b.shot('07-demo-connection-dark');
    await page.getByRole('button', { name: 'Session', exact: true }).click();
    await sendTurn(page, 'Show the record', 'pii');
    await b.shot('08-pii-dark');
    expect(b.problems).toEqual([]);
  }, 60_000);

  it('the bridge refuses a client without the token or from another origin, and the page says how to connect', async () => {
    const refused = (url: string, origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers: { origin } });
        ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => resolve(101));
        ws.once('error', () => undefined);
      });
    const base = `ws://127.0.0.1:${shared.ui.port}/bridge`;
    expect(await refused(base, shared.ui.origin)).toBe(401);
    expect(await refused(`${base}?token=wrong`, shared.ui.origin)).toBe(403);
    // Another site's page that somehow has the token gets its messages refused by the sender check, then no socket.
    const foreign = new WebSocket(`${base}?token=${shared.ui.token}`, { headers: { origin: 'http://evil.example' } });
    const reply = new Promise<string>((resolve) => foreign.once('message', (d) => resolve((d as Buffer).toString())));
    const closed = new Promise<number>((resolve) => foreign.once('close', (code) => resolve(code)));
    foreign.once('open', () => foreign.send(JSON.stringify({ id: 1, channel: 'renderer:env.list', request: {} })));
    expect(JSON.parse(await reply)).toMatchObject({ id: 1, error: { code: 'invalid-sender' } });
    expect(await closed).toBe(1008);
    b = await shared.open(`${shared.ui.origin}/`);
    await b.page.getByRole('heading', { name: 'Cannot connect' }).waitFor();
    expect(await b.page.getByRole('alert').textContent()).toMatch(/open the exact URL printed by `npm run cli -- ui`/);
    await b.shot('09-no-token');
    expect(b.problems).toEqual([]);
  }, 30_000);
});
