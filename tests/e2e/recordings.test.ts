// The record toggle, the Recordings tab, the side-by-side diff and the relay toggle in real Chromium
// against the real engine through browser mode (`ui`). Screenshot: test-artifacts/e2e/11-recordings.png.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendTurn, sharedUi, type Browser } from './ui-harness';

const shared = sharedUi();
let b: Browser | undefined;

describe('recordings in Chromium', () => {
  it('records two turns, lists them, opens one, diffs them side by side; the relay serves SSE', async () => {
    b = await shared.open(`${shared.ui.url}&debug=1`);
    const { page } = b;
    await page.getByText('ready · gateway').waitFor({ timeout: 20_000 });
    const toolbar = page.locator('header.toolbar');
    const rec = toolbar.getByRole('button', { name: /^● (Record|REC)/ });

    for (const [input, scenario] of [
      ['Tell me about my card', 'happy'],
      ['Tell me about my card', 'pii'],
    ] as const) {
      await rec.click();
      await expect.poll(() => rec.textContent()).toMatch(/^● REC demo-\d{4}-\d\d-\d\d_/);
      await sendTurn(page, input, scenario);
      if (scenario === 'pii') await b.shot('11a-recording-toolbar');
      await rec.click();
      await expect.poll(() => rec.textContent()).toBe('● Record');
    }
    const files = readdirSync(join(shared.ui.dataDir, 'recordings')).sort();
    expect(files).toHaveLength(2);

    await page.getByRole('button', { name: 'Recordings', exact: true }).click();
    const table = page.getByRole('table', { name: 'Recordings' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    const names = files.map((f) => f.replace(/\.jsonl$/, ''));
    for (const n of names) expect(await table.getByText(n, { exact: true }).count()).toBe(1);
    expect(await table.locator('tr', { hasText: names[1]! }).textContent()).toContain('demo · pii');

    // Open the first (the happy run): its turn is listed read-only.
    await table.locator('tr', { hasText: names[0]! }).getByRole('button', { name: 'Open' }).click();
    const detail = page.getByRole('region', { name: `Recording ${names[0]}` });
    await detail.waitFor();
    expect(await detail.locator('li.rec-turn').count()).toBe(1);
    expect(await detail.locator('.rec-input').textContent()).toBe('User: Tell me about my card');
    await b.shot('11b-recording-open');

    // Diff of the two runs.
    for (const n of names) await page.getByRole('checkbox', { name: `Select ${n} for diff` }).check();
    await page.getByRole('button', { name: /Diff selected \(2\/2\)/ }).click();
    const diff = page.getByRole('region', { name: 'Recording diff' });
    await diff.waitFor();
    expect(await diff.getByText('differences found').count()).toBe(1);
    expect(await diff.locator('ins.diff-ins, del.diff-del').count()).toBeGreaterThan(0);

    // Relay toggle: a URL on 127.0.0.1 that serves the demo's filtered stream.
    await toolbar.getByRole('button', { name: 'Relay', exact: true }).click();
    const urlBox = page.getByRole('textbox', { name: 'Relay URL' });
    await urlBox.waitFor();
    const url = await urlBox.inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await b.shot('11-recordings');
    const body = await (await fetch(`${url}/stream?input=hi&scenario=happy`)).text();
    expect(body).toMatch(/^event: token$/m);
    expect(body).toMatch(/^event: done$/m);
    await toolbar.getByRole('button', { name: 'Relay on' }).click();
    await urlBox.waitFor({ state: 'detached' });
    expect(b.problems).toEqual([]);
  }, 120_000);
});
