// The tap in the app, in real Chromium against browser mode: start it in front of the demo's Socket
// Endpoint, point Cognigy's official client (what Webchat 3.49 uses) at the URL the bar shows, and watch
// the tapped connection's lanes and its Webchat preview. Screenshots at 1280×720, light and dark, in test-artifacts/e2e/.
import { talkThrough } from '../helpers/cognigy-frontend';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureBuilt, openBrowser, SMALL_SCREEN, startUi, type Browser, type UiProcess } from './ui-harness';

let ui: UiProcess;
let b: Browser | undefined;

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined); // the official client logs every step
  await ensureBuilt();
  ui = await startUi(['--speed', '0']);
}, 180_000);
afterAll(async () => {
  expect(await ui.stop()).toBe(0);
  vi.restoreAllMocks();
});
afterEach(async () => {
  await b?.close();
  b = undefined;
});

/** The developer's own frontend: one message through the tap. */
async function frontendSays(url: string, text: string, scenario: string): Promise<string> {
  const [texts] = await talkThrough(url, [[text, scenario]], { userId: 'my-webchat-user' });
  return texts!.join('');
}

describe('the tap in the app', () => {
  it.each(['light', 'dark'] as const)('shows a tapped Webchat connection as a session with raw and filtered lanes (%s)', async (colorScheme) => {
    b = await openBrowser(ui.url, { colorScheme, viewport: SMALL_SCREEN });
    const { page } = b;
    await expect.poll(() => page.getByRole('combobox', { name: 'Environment' }).inputValue()).toBe('demo');
    await page.getByRole('button', { name: /^Tap( on)?$/ }).click();
    const bar = page.getByRole('region', { name: 'Tap' });
    if (await bar.getByRole('button', { name: 'Stop tap' }).count()) await bar.getByRole('button', { name: 'Stop tap' }).click();
    await bar.getByRole('button', { name: 'Start tap' }).click();
    const urlBox = bar.getByRole('textbox', { name: 'Tap URL' });
    await urlBox.waitFor();
    const url = await urlBox.inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+/);
    await expect.poll(() => bar.getByText('No frontend connected yet.').count()).toBe(1);

    const received = await frontendSays(url, 'my card?', 'pii');
    expect(received).toMatch(/\d{4}/);
    const connection = bar.getByRole('list', { name: 'Tapped connections' }).getByRole('listitem').filter({ hasText: 'user my-webchat-user' });
    await expect.poll(() => connection.textContent(), { timeout: 15_000 }).toMatch(/1 turn · closed/);
    await connection.getByRole('button', { name: 'Watch' }).click();

    const raw = page.getByRole('region', { name: 'Raw tokens' });
    const filtered = page.getByRole('region', { name: 'Filtered tokens' });
    await expect.poll(() => filtered.textContent(), { timeout: 15_000 }).toContain('[CREDIT_CARD]');
    expect(await raw.textContent()).toMatch(/\d{4}/);
    expect(await filtered.textContent()).not.toContain(received.match(/\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}/)?.[0] ?? 'no card in the answer');
    expect(await page.getByText(/Tapped session: its messages come from your own frontend/).count()).toBe(1);
    // The Webchat preview of the tapped turn: the filtered text, as the endpoint's settings make Webchat show it.
    const bubbles = page.getByRole('region', { name: 'Webchat preview' }).getByRole('list', { name: 'Webchat bubbles of turn 1' });
    await expect.poll(() => bubbles.textContent(), { timeout: 15_000 }).toContain('[CREDIT_CARD]');
    expect(await connection.getByRole('button', { name: 'Watching' }).count()).toBe(1);
    await b.shot(`20-tap-watching-${colorScheme}`);
    await bar.getByRole('button', { name: 'Stop tap' }).click();
    await bar.getByRole('button', { name: 'Start tap' }).waitFor();
    expect(b.problems).toEqual([]);
  });
});
