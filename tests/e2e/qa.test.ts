// QA in the app, the whole path in real Chromium against the real `ui` process (browser mode): write a
// two-turn dialog script (a bad line named first), record it against the demo, replay it green, replay it
// on the PII scenario red with the diff shown at its first difference, export JUnit and parse it back, add
// a stream assertion (TTFT ≤ 1 ms) and see it fail — across a page reload in the middle of that replay —
// and compare the demo with a second environment side by side.
// Screenshots at 1280×720, light and dark: test-artifacts/e2e/qa-*.png.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../electron/core/simulator';
import { CLI } from '../helpers/cli';
import { run } from '../core/secrets/keyring-session';
import { ensureBuilt, openBrowser, SMALL_SCREEN, startUi, type Browser, type UiProcess } from './ui-harness';

let sim: Simulator;
let xdg: string;
let ui: UiProcess;
const browsers: Browser[] = [];

beforeAll(async () => {
  await ensureBuilt();
  // A second environment to compare the demo with: a Socket Endpoint on its own simulator (no secret needed).
  sim = await createSimulator({ port: 0, clientId: 'qa-client', clientSecret: 'qa-secret', urlToken: 'qa-token', apiKey: 'qa-key', speed: 0 });
  xdg = mkdtempSync(join(tmpdir(), 'e2e-qa-'));
  const add = await run(process.execPath, [CLI, 'env', 'add', 'staging', '--kind', 'socket-endpoint', '--endpoint-url', `http://127.0.0.1:${sim.port}/qa-token`, '--url-token', 'qa-token'], {
    env: { ...process.env, XDG_CONFIG_HOME: xdg, STREAM_DEBUGGER_DATA_DIR: '' },
  });
  expect(add.code, add.stderr).toBe(0);
  // The demo at its realistic pace: recordings carry real timing, so "recorded timing" replays are slow enough
  // to reload the page in the middle of one, and a TTFT of at most 1 ms cannot pass.
  ui = await startUi([], { xdg });
}, 180_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  expect(await ui?.stop()).toBe(0);
  await sim?.close();
  rmSync(xdg, { recursive: true, force: true });
});

async function open(colorScheme: 'light' | 'dark' = 'light'): Promise<Browser> {
  const b = await openBrowser(`${ui.url}&debug=1`, { viewport: SMALL_SCREEN, colorScheme });
  browsers.push(b);
  await expect.poll(() => b.page.getByText(/ready · /).count(), { timeout: 20_000 }).toBe(1);
  return b;
}

const panel = (page: Page) => page.getByRole('tabpanel');
async function tab(page: Page, name: 'Dialogs' | 'Replay runner' | 'Assertions' | 'Compare') {
  if ((await page.getByRole('tablist', { name: 'QA' }).count()) === 0) await page.getByRole('button', { name: 'QA', exact: true }).click();
  await page.getByRole('tab', { name }).click();
  await panel(page).and(page.getByRole('tabpanel', { name })).waitFor();
}
const verdict = (page: Page) => page.getByRole('status', { name: 'Replay verdict' });
async function replay(page: Page, scenario: string, speed: 'recorded timing' | 'as fast as possible') {
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption(scenario);
  await page.getByRole('radio', { name: speed }).check();
  await panel(page).getByRole('button', { name: /^▶ Replay/ }).click();
}

describe('QA in Chromium', () => {
  it('writes, records, replays green and red, exports JUnit, asserts TTFT across a reload, and compares', async () => {
    const b = await open();
    const { page } = b;
    await tab(page, 'Dialogs');

    // A bad line is named by its number, and the script cannot be saved meanwhile.
    const editor = page.getByRole('textbox', { name: 'Dialog script' });
    await editor.fill('Tell me about my card\n{"input": ""}');
    const problems = page.getByRole('list', { name: 'Script problems' });
    await expect.poll(() => problems.textContent()).toMatch(/^line 2: input: must not be empty/);
    expect(await panel(page).getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    await b.shot('qa-dialogs-error');

    await page.getByRole('textbox', { name: 'Dialog name' }).fill('card-dialog');
    await editor.fill('# two turns against the demo\nTell me about my card\n{"input": "Thanks, and what about my email?", "scenario": "happy"}\n');
    await problems.waitFor({ state: 'detached' });
    const turns = page.getByRole('table', { name: 'Script turns' });
    await expect.poll(() => turns.locator('tbody tr').count()).toBe(2);
    await panel(page).getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved card-dialog.txt (2 turns)' }).waitFor();
    expect(readFileSync(join(ui.dataDir, 'dialogs', 'card-dialog.txt'), 'utf8')).toContain('Tell me about my card');

    // Record it: progress per turn, then the cassette.
    await panel(page).getByRole('button', { name: '● Record' }).click();
    const recProgress = page.getByLabel('record progress');
    await expect.poll(() => recProgress.textContent(), { timeout: 60_000 }).toMatch(/finished.*2\/2 turns/);
    await b.shot('qa-dialogs');
    await panel(page).getByRole('button', { name: 'Replay it…' }).click();

    // Replay it green (as fast as possible).
    await page.getByRole('tabpanel', { name: 'Replay runner' }).waitFor();
    expect(await page.getByRole('checkbox', { name: /^Replay card-dialog-/ }).isChecked()).toBe(true);
    await replay(page, '', 'as fast as possible');
    await expect.poll(() => verdict(page).textContent(), { timeout: 60_000 }).toBe('PASS: 2 passed, 0 failed, 0 errors');
    const results = page.getByRole('table', { name: 'Replay results' });
    expect(await results.locator('tr.qa-pass').count()).toBe(2);
    await b.shot('qa-replay-green');

    // On the PII scenario it goes red; the failed turn's diff opens scrolled to its first difference.
    await replay(page, 'pii', 'as fast as possible');
    await expect.poll(() => verdict(page).textContent(), { timeout: 60_000 }).toMatch(/^FAIL: \d passed, [12] failed, 0 errors$/);
    const failedRow = results.locator('tr.qa-fail').first();
    expect(await failedRow.locator('.qa-check.ko').first().textContent()).toBe('✗ text');
    await failedRow.getByRole('button', { name: 'Diff' }).click();
    const diff = page.getByRole('region', { name: 'Replay diff' });
    await diff.waitFor();
    const firstChange = diff.locator('.diff-del, .diff-ins').first();
    await firstChange.waitFor();
    expect(await firstChange.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    })).toBe(true);
    expect(await diff.locator('.diff-hits .diff-ins').count()).toBeGreaterThan(0);
    await b.shot('qa-replay-red');

    // Export JUnit and parse it back (Chromium's own XML parser).
    const [download] = await Promise.all([page.waitForEvent('download'), panel(page).getByRole('button', { name: 'Export JUnit' }).click()]);
    const xml = readFileSync(await download.path(), 'utf8');
    // In a blank page: the app's CSP (Trusted Types) rightly refuses DOMParser on its own page.
    const blank = await b.context.newPage();
    const parsed = await blank.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const suites = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: suites.tagName,
        tests: suites.getAttribute('tests'),
        failures: Number(suites.getAttribute('failures')),
        cases: [...doc.getElementsByTagName('testcase')].map((c) => ({ name: c.getAttribute('name'), failed: c.getElementsByTagName('failure').length > 0 })),
      };
    }, xml);
    await blank.close();
    expect(parsed).toMatchObject({ error: 0, root: 'testsuites', tests: '2' });
    expect(parsed.failures).toBeGreaterThan(0);
    expect(parsed.cases.map((c) => c.name)).toEqual(['turn 1: Tell me about my card', 'turn 2: Thanks, and what about my email?']);
    expect(parsed.cases.filter((c) => c.failed)).toHaveLength(parsed.failures);
    expect(xml).not.toContain(ui.token);

    // A stream assertion: TTFT ≤ 1 ms for all turns. A bad value is named by its JSON path first.
    await tab(page, 'Assertions');
    const recording = page.getByRole('combobox', { name: 'Recording' });
    await recording.selectOption({ index: 1 });
    const json = page.getByRole('textbox', { name: 'Assertions JSON' });
    await json.fill('{"all": [{"kind": "ttft", "max": -1}]}');
    await expect.poll(() => page.getByRole('list', { name: 'Assertion problems' }).textContent()).toMatch(/^all\[0\]\.max: /);
    await json.fill('');
    await page.getByRole('combobox', { name: 'Assertion kind' }).selectOption('ttft');
    await page.getByRole('textbox', { name: 'Assertion value' }).fill('1');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(async () => JSON.parse(await json.inputValue())).toEqual({ all: [{ kind: 'ttft', max: 1 }] });
    await expect.poll(() => panel(page).getByText(/^Valid: /).count()).toBe(1);
    await panel(page).getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /^Saved card-dialog-.*\.assert\.json$/ }).waitFor();
    await b.shot('qa-assertions');

    // Replayed at its recorded timing, the assertion fails — and a reload in the middle loses nothing.
    await tab(page, 'Replay runner');
    await replay(page, '', 'recorded timing');
    const progress = page.getByLabel('replay progress');
    await expect.poll(() => progress.textContent(), { timeout: 30_000 }).toMatch(/running.*1\/2 turns/);
    await page.reload();
    await expect.poll(() => page.getByText(/ready · /).count(), { timeout: 20_000 }).toBe(1);
    await tab(page, 'Replay runner');
    await expect.poll(() => verdict(page).textContent(), { timeout: 60_000 }).toBe('FAIL: 0 passed, 2 failed, 0 errors');
    expect(await results.locator('tr.qa-fail').count()).toBe(2);
    const why = await page.locator('tr.qa-why').allTextContents();
    expect(why).toHaveLength(2);
    for (const w of why) expect(w).toMatch(/^assert\.ttft expected TTFT ≤ 1 ms got \d+ ms$/);
    await b.shot('qa-replay-assert');

    // Compare the demo with the second environment, streaming side by side, then the structured diff.
    await tab(page, 'Compare');
    await page.getByRole('combobox', { name: 'Environment B' }).selectOption('staging');
    await page.getByRole('textbox', { name: 'Compare message' }).fill('Tell me about my card');
    await panel(page).getByRole('button', { name: '⇆ Compare' }).click();
    const compareDiff = page.getByRole('region', { name: 'Compare diff' });
    await compareDiff.waitFor({ timeout: 60_000 });
    for (const side of ['A · demo (happy)', 'B · staging']) {
      const stream = page.getByRole('region', { name: `Stream ${side}` });
      expect(await stream.locator('pre.rec-text').textContent()).not.toBe('');
    }
    expect(await compareDiff.locator('li.diff-turn').count()).toBe(1);
    await b.shot('qa-compare');
    expect(b.problems).toEqual([]);
    expect(existsSync(join(ui.dataDir, 'recordings'))).toBe(true);
  }, 240_000);

  it('shows every QA screen in the dark theme (a new page finds the finished runs)', async () => {
    const b = await open('dark');
    const { page } = b;
    await tab(page, 'Dialogs');
    await page.getByRole('button', { name: 'card-dialog' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Script turns' }).locator('tbody tr').count()).toBe(2);
    await b.shot('qa-dialogs-dark');
    await tab(page, 'Replay runner');
    await verdict(page).waitFor();
    // The recording's run history, kept main-side: green, then the PII run and the TTFT run red.
    await page.getByRole('img', { name: /history: pass, fail, fail$/ }).waitFor();
    await b.shot('qa-replay-dark');
    await page.locator('tr.qa-fail').first().getByRole('button', { name: 'Diff' }).click();
    await page.getByRole('region', { name: 'Replay diff' }).waitFor();
    await b.shot('qa-replay-diff-dark');
    await tab(page, 'Assertions');
    await page.getByRole('combobox', { name: 'Recording' }).selectOption({ index: 1 });
    await expect.poll(async () => page.getByRole('textbox', { name: 'Assertions JSON' }).inputValue()).toContain('"ttft"');
    await b.shot('qa-assertions-dark');
    await tab(page, 'Compare');
    await page.getByRole('region', { name: 'Compare diff' }).waitFor();
    await b.shot('qa-compare-dark');
    expect(b.problems).toEqual([]);
  }, 120_000);
});
