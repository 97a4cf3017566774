// The Webchat lane in real Chromium (browser mode, real engine) against the simulator's Socket Endpoint
// playing `closing-text`: with Modern's collation Webchat drops the closing chunk's words, and the lane
// says so where it happens. Screenshots at 1280×720, light and dark, go to test-artifacts/e2e/.
import { describe, expect, it } from 'vitest';
import { sendTurn, sharedUiOverSocketEndpoint, SMALL_SCREEN, type Browser } from './ui-harness';

let b: Browser | undefined;
const shared = sharedUiOverSocketEndpoint('sock', { clientId: 'wc-client', clientSecret: 'wc-secret-unused', urlToken: 'wc-token', apiKey: 'wc-key-unused', speed: 0, scenario: 'closing-text' });

describe('Webchat lane', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`closing chunk with text, Modern (${colorScheme}): the dropped words are marked in the bubble and a warning says what and where`, async () => {
      b = await shared.open(`${shared.ui.url}&debug=1`, { viewport: SMALL_SCREEN, colorScheme });
      const { page } = b;
      await page.getByRole('combobox', { name: 'Environment' }).selectOption('sock');
      await expect.poll(() => page.getByText('ready · socket-endpoint').count(), { timeout: 20_000 }).toBe(1);
      const lane = page.getByRole('region', { name: 'Webchat preview' });
      await lane.getByRole('combobox', { name: 'Webchat preview mode' }).selectOption('modern');
      await sendTurn(page, 'How do I track my order?');

      const warning = lane.getByRole('note').filter({ hasText: 'words dropped' });
      await warning.waitFor({ timeout: 10_000 });
      expect(await warning.textContent()).toMatch(/Webchat drops ".+" at the end of bubble 1: the closing chunk \(output \d+ of message \S+\) carries text/);
      const lost = (await lane.locator('.wc-lost').textContent()) ?? '';
      expect(lost.trim().length).toBeGreaterThan(3);
      // The end user's bubble lacks the words; the filtered answer has them.
      const bubble = (await lane.locator('.wc-bubble .wc-line').allTextContents()).join('\n');
      expect(bubble).not.toContain(lost.trim());
      expect(await page.getByRole('region', { name: 'Filtered tokens' }).textContent()).toContain(lost.trim().slice(0, 20));
      // Three lanes and the details panel fit 1280 px: nothing scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await b.shot(`webchat-closing-text-${colorScheme}`);
      expect(b.problems).toEqual([]);
    }, 60_000);
  }

  it('Classic: the same answer becomes one bubble per chunk, with the split named', async () => {
    b = await shared.open(`${shared.ui.url}&debug=1`, { viewport: SMALL_SCREEN });
    const { page } = b;
    await page.getByRole('combobox', { name: 'Environment' }).selectOption('sock');
    await expect.poll(() => page.getByText('ready · socket-endpoint').count(), { timeout: 20_000 }).toBe(1);
    const lane = page.getByRole('region', { name: 'Webchat preview' });
    await lane.getByRole('combobox', { name: 'Webchat preview mode' }).selectOption('classic');
    await sendTurn(page, 'How do I track my order?');
    const split = lane.getByRole('note').filter({ hasText: 'split into bubbles' });
    await split.waitFor({ timeout: 10_000 });
    const n = Number(/shown as (\d+) bubbles/.exec((await split.textContent()) ?? '')?.[1]);
    expect(n).toBeGreaterThan(1);
    expect(await lane.locator('.wc-bubble').count()).toBe(n);
    expect(await lane.locator('.wc-lost').count()).toBe(0);
    expect(b.problems).toEqual([]);
  }, 60_000);
});
