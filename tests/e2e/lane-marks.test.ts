// What a Socket Endpoint dialog holds beside the answer text, in real Chromium (browser mode, real engine)
// against the simulator: structured outputs as rows with their JSON on demand, a reconnect mid-answer marked
// where it broke and the answer said not whole, the bot's and the user's typing on the lanes and the
// timeline, and the composer's "Send typing" toggle. One simulator per scenario (a Socket Endpoint turn
// plays its environment's default scenario). Screenshots at 1280×720, light and dark, in test-artifacts/e2e/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../shared/scenarios';
import { createSimulator, type Simulator } from '../../electron/core/simulator';
import { CLI } from '../helpers/cli';
import { run } from '../core/secrets/keyring-session';
import { ensureBuilt, openBrowser, sendTurn, SMALL_SCREEN, startUi, type Browser, type UiProcess } from './ui-harness';

const SCENARIOS = ['rich-content', 'reconnect', 'typing', 'handover'] as const satisfies readonly ScenarioName[];
const sims: Simulator[] = [];
let xdg: string;
let ui: UiProcess;
let b: Browser | undefined;

beforeAll(async () => {
  await ensureBuilt();
  xdg = mkdtempSync(join(tmpdir(), 'e2e-marks-'));
  await Promise.all(
    SCENARIOS.map(async (scenario) => {
      const sim = await createSimulator({ port: 0, clientId: 'mk-client', clientSecret: 'mk-secret-unused', urlToken: 'mk-token', apiKey: 'mk-key-unused', speed: 0, scenario });
      sims.push(sim);
      // No management API URL: nothing is synced, so no secret is needed. A fast reconnect loop.
      const add = await run(
        process.execPath,
        [CLI, 'env', 'add', scenario, '--kind', 'socket-endpoint', '--endpoint-url', `http://127.0.0.1:${sim.port}/mk-token`, '--url-token', 'mk-token', '--reconnect-interval', '100'],
        { env: { ...process.env, XDG_CONFIG_HOME: xdg, STREAM_DEBUGGER_DATA_DIR: '' }, timeoutMs: 60_000 },
      );
      expect(add.code, add.stderr).toBe(0);
    }),
  );
  ui = await startUi([], { xdg });
}, 180_000);

afterAll(async () => {
  expect(await ui?.stop()).toBe(0);
  for (const s of sims) await s.close();
  rmSync(xdg, { recursive: true, force: true });
});

afterEach(async () => {
  await b?.close();
  b = undefined;
});

async function openEnv(page: Page, name: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Environment' }).selectOption(name);
  await expect.poll(() => page.getByText('ready · socket-endpoint').count(), { timeout: 20_000 }).toBe(1);
  // The preview is not what these screens are about: it keeps the lanes wide enough to read.
  await page.getByRole('region', { name: 'Webchat preview' }).getByRole('combobox', { name: 'Webchat preview mode' }).selectOption('off');
}

describe('lanes: structured outputs, reconnect and typing', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`structured rows with their JSON, a reconnect marker, typing markers (${colorScheme})`, async () => {
      b = await openBrowser(`${ui.url}&debug=1`, { viewport: SMALL_SCREEN, colorScheme });
      const { page } = b;
      const raw = page.getByRole('region', { name: 'Raw tokens' });

      // 1. Rich content between text chunks: a row each, the JSON on demand, none of it in the text.
      await openEnv(page, 'rich-content');
      await sendTurn(page, 'Show me the options');
      const quick = raw.locator('.row-mark').filter({ hasText: 'quick replies: "Yes, thanks" · "Tell me more"' });
      expect(await quick.count()).toBe(2); // _default and _webchat of one output
      expect(await raw.locator('.row-mark').filter({ hasText: 'gallery: 3 cards' }).count()).toBe(1);
      expect(await raw.locator('.lane-mark.lm-structured').count()).toBe(3);
      const answer = (await raw.locator('.row:not(.row-mark):not(.row-head):not(.row-foot) .code').allTextContents()).join('');
      expect(answer).not.toMatch(/Yes, thanks|gallery|quick/);
      expect(await page.getByRole('region', { name: 'Filtered tokens' }).locator('.row-mark').filter({ hasText: 'reaches the end user as sent (not filtered)' }).count()).toBe(3);
      await raw.getByRole('button', { name: /^Show the JSON of rich content at data\._cognigy\._default \(output \d+\)$/ }).first().click();
      const json = (await raw.locator('.row-json').allTextContents()).join('\n');
      expect(json).toContain('"quickReplies": [');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      await b.shot(`lanes-structured-${colorScheme}`);

      // 2. A reconnect mid-answer: where it broke, the way back, what came after; not whole.
      await openEnv(page, 'reconnect');
      await sendTurn(page, 'Tell me a story');
      const marker = raw.locator('.lane-mark.lm-connection');
      expect(await marker.count()).toBe(1);
      expect(await marker.getAttribute('aria-label')).toMatch(/^connection lost \(io server disconnect\)/);
      const rows = await raw.locator('.row-mark').allTextContents();
      const broke = rows.findIndex((r) => /connection lost \(io server disconnect\).*at char \d+/.test(r));
      expect(broke).toBeGreaterThanOrEqual(0);
      expect(rows.findIndex((r) => r.includes('reconnecting: attempt 1 of 5'))).toBeGreaterThan(broke);
      expect(rows.findIndex((r) => /endpoint ready \d+ ms after connecting/.test(r))).toBeGreaterThan(broke);
      expect(await raw.locator('.row-head .badge').textContent()).toBe('damaged');
      expect(await raw.locator('.row-head').textContent()).toContain('⚡ connection broke');
      expect(await raw.locator('.row-foot').last().textContent()).toMatch(/1 connection break mid-answer .* · not the whole answer/);
      await b.shot(`lanes-reconnect-${colorScheme}`);

      // 3. Typing: the toggle sends the user's typing state; the bot's typingStatus shows too, inline and on the timeline.
      await openEnv(page, 'typing');
      const toggle = page.getByRole('checkbox', { name: 'Send typing' });
      expect(await toggle.isChecked()).toBe(false);
      await toggle.check();
      await sendTurn(page, 'Are you there?');
      // The bot's last typingOff follows its finalPing, so it may land after the turn's end: wait for it.
      await raw.locator('.lane-mark.lm-typing[data-label^="⌨ bot"]').nth(3).waitFor({ timeout: 10_000 });
      expect(await raw.locator('.lane-mark.lm-typing').last().getAttribute('aria-label')).toMatch(/^bot: typing off \(after the answer ended\)/);
      const chips = await raw.locator('.lane-mark.lm-typing').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.label));
      expect(chips.slice(0, 2)).toEqual(['⌨ you on', '⌨ you off']);
      expect(chips.filter((c) => c?.startsWith('⌨ bot')).length).toBeGreaterThanOrEqual(4);
      await page.getByRole('tab', { name: /Timing/ }).click();
      const timeline = page.getByRole('region', { name: 'Timeline' });
      const items = await timeline.locator('li').allTextContents();
      expect(items.filter((i) => i.includes('typing')).length).toBe(chips.length);
      expect(items.some((i) => i.includes('you (sent): typing on'))).toBe(true);
      expect(items.filter((i) => /turn ended: complete \(the whole answer arrived\)/.test(i))).toHaveLength(1);
      expect(items.filter((i) => i.includes('bot: typing off (after the answer ended)'))).toHaveLength(1);
      await b.shot(`lanes-typing-${colorScheme}`);

      // 4. A handover: the Webchat events as rows, then the live agent's outputs marked as the agent's.
      await openEnv(page, 'handover');
      await sendTurn(page, 'I want a human');
      const marks = await raw.locator('.row-mark').allTextContents();
      const joined = marks.findIndex((r) => /Webchat event.*live agent: agentJoined · Sam/.test(r));
      expect(joined).toBeGreaterThanOrEqual(0);
      expect(marks.findIndex((r) => r.includes('live agent from here (output source "agent")'))).toBeGreaterThan(joined);
      expect(b.problems).toEqual([]);
    }, 120_000);
  }
});
