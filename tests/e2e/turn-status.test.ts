// One honest turn status in real Chromium against the real engine (browser mode), at 1280×720 in light and
// dark: a seq gap makes the turn damaged with the gap marked in both lanes; a cancel is neutral; a stall
// shows the final silence in Timing; Usage names the encoding and agrees with the demo's simulator.
// Screenshots go to test-artifacts/e2e/.
import { describe, expect, it } from 'vitest';
import { sendTurn, sharedUi, submitMessage, type Browser } from './ui-harness';

const shared = sharedUi();
let b: Browser | undefined;

const VIEWPORT = { width: 1280, height: 720 };

describe.each(['light', 'dark'] as const)('turn status in Chromium (%s)', (scheme) => {
  it('a seq gap: badge damaged (never complete), the gap marked in the text of both lanes, Issues explains', async () => {
    b = await shared.open(`${shared.ui.url}&debug=1`, { colorScheme: scheme, viewport: VIEWPORT });
    const { page } = b;
    await sendTurn(page, 'Tell me about gaps', 'seq-gap');
    const raw = page.getByRole('region', { name: 'Raw tokens' });
    const filtered = page.getByRole('region', { name: 'Filtered tokens' });
    expect(await raw.locator('.row-head .badge').first().textContent()).toBe('damaged');
    expect(await raw.getByRole('img', { name: /^gap: frames never received here/ }).count()).toBe(1);
    expect(await filtered.getByRole('img', { name: /^gap: frames never received here/ }).count()).toBe(1);
    // The marker is drawn, not text: copying the lane never copies it.
    expect(await raw.locator('.gap-mark').first().textContent()).toBe('');
    expect(await raw.textContent()).not.toMatch(/complete/);
    await page.getByRole('tab', { name: /Issues/ }).click();
    await page.getByText(/Damaged answer: the stream ended, but 1 sequence gap/).waitFor();
    await b.shot(`a-status-damaged-${scheme}`);
    expect(b.problems).toEqual([]);
  }, 60_000);

  it('cancel: neutral badge, no error line, one sentence about what the end user received', async () => {
    b = await shared.open(`${shared.ui.url}&debug=1`, { colorScheme: scheme, viewport: VIEWPORT });
    const { page } = b;
    await page.getByRole('combobox', { name: 'Scenario' }).selectOption('stall');
    await submitMessage(page, 'Wait for it');
    await page.getByRole('button', { name: 'Cancel' }).waitFor({ timeout: 10_000 });
    // Cancel once tokens have arrived (the stall scenario then goes silent).
    await page.waitForFunction(
      () => {
        const s = (window as unknown as { __debuggerStore: { getState(): { session: { turns: { order: string[]; byId: Record<string, { tokens: { at: number[] } }> } } } } }).__debuggerStore.getState().session.turns;
        return (s.byId[s.order[s.order.length - 1] ?? '']?.tokens.at.length ?? 0) >= 3;
      },
      undefined,
      { timeout: 10_000 },
    );
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Cancel' }).waitFor({ state: 'detached', timeout: 10_000 });
    const raw = page.getByRole('region', { name: 'Raw tokens' });
    const filtered = page.getByRole('region', { name: 'Filtered tokens' });
    const badge = raw.locator('.row-head .badge').first();
    expect(await badge.textContent()).toBe('cancelled');
    const colors = await badge.evaluate((el) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--bad)';
      document.body.append(probe);
      const bad = getComputedStyle(probe).color;
      probe.remove();
      return { badge: getComputedStyle(el).color, bad };
    });
    expect(colors.badge).not.toBe(colors.bad);
    expect(await raw.locator('.err').count()).toBe(0);
    expect(await filtered.textContent()).not.toMatch(/unexpected error|end user sees/);
    expect(await filtered.textContent()).toMatch(/cancelled by you after [\d,]+ characters? of the answer had been released/);
    await b.shot(`a-status-cancelled-${scheme}`);
    expect(b.problems).toEqual([]);
  }, 60_000);

  it('usage of the demo: the encoding named, reported and estimated agree, the session row filled', async () => {
    b = await shared.open(`${shared.ui.url}&debug=1`, { colorScheme: scheme, viewport: VIEWPORT });
    const { page } = b;
    await sendTurn(page, 'What are the naming rules?', 'happy');
    await sendTurn(page, 'And the second point?', 'pii');
    await page.getByRole('tab', { name: 'Usage' }).click();
    const table = page.getByRole('table');
    expect(await table.locator('thead').textContent()).toContain('estimated · o200k_base');
    expect(await table.locator('tbody tr td:last-child').allTextContents()).toEqual(['0.0 %', '0.0 %']);
    expect(await table.locator('tfoot tr td:last-child').textContent()).toBe('0.0 %');
    await b.shot(`a-status-usage-${scheme}`);
    expect(b.problems).toEqual([]);
  }, 60_000);
});
