// What a new user meets in browser mode at 1280×720, in real Chromium against the real `ui` process: a tab
// with a stale token, a toolbar with everything switched on, the PII chips and line gutters of the lanes,
// a long error line, a reload in the middle of a session, and turns that arrive through the relay.
// Screenshots go to test-artifacts/e2e/ (light and dark).
import { describe, expect, it } from 'vitest';
import { sendTurn, sharedUiOverSocketEndpoint, SMALL_SCREEN, type Browser } from './ui-harness';

const LONG = 'acme-production-europe-west-with-a-really-long-environment-name';
let b: Browser | undefined;
const shared = sharedUiOverSocketEndpoint(LONG, { clientId: 'bm-client', clientSecret: 'bm-secret', urlToken: 'bm-token', apiKey: 'bm-key', speed: 0 }, ['--speed', '0']);

const open = async (colorScheme: 'light' | 'dark' = 'light') => {
  b = await shared.open(`${shared.ui.url}&debug=1`, { viewport: SMALL_SCREEN, colorScheme });
  // Booting opens a session (the demo starts its simulator): seconds on a loaded machine, not the default 1 s.
  await expect.poll(() => b!.page.getByText(/ready · /).count(), { timeout: 20_000 }).toBe(1);
  return b.page;
};
const raw = () => b!.page.getByRole('region', { name: 'Raw tokens' });

/** WCAG relative luminance contrast of two CSS rgb() colours. */
function contrast(fg: string, bg: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [a, c] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a! + 0.05) / (c! + 0.05);
}

describe('browser mode at 1280×720', () => {
  it('a stale token says once that it is not valid for the running app, and where to get the right URL', async () => {
    b = await shared.open(`${shared.ui.origin}/?token=stale-token-from-an-earlier-run`, { viewport: SMALL_SCREEN });
    const alert = b.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("this page's access token is not valid for the running app — open the URL printed by `npm start`");
    expect(await b.page.getByRole('alert').count()).toBe(1);
    const text = await b.page.locator('body').innerText();
    expect(text.match(/access token is not valid/g)).toHaveLength(1);
    expect(text).not.toMatch(/connection (to the bridge )?was lost|disconnected/);
    await b.shot('bm-01-stale-token');
    expect(b.problems.filter((p) => !/WebSocket connection .* failed|Failed to load resource/.test(p))).toEqual([]);
  }, 30_000);

  for (const scheme of ['light', 'dark'] as const) {
    it(`the toolbar fits 1280 px with a long environment, recording and the relay on (${scheme})`, async () => {
      const page = await open(scheme);
      const picker = page.getByRole('combobox', { name: 'Environment' });
      const widthOf = async () => (await picker.boundingBox())!.width;
      const idle = await widthOf();
      await picker.selectOption(LONG);
      await expect.poll(() => page.getByText('ready · socket-endpoint').count(), { timeout: 20_000 }).toBe(1);
      expect(await widthOf()).toBe(idle);
      await page.getByRole('button', { name: '● Record' }).click();
      await page.getByRole('button', { name: /REC/ }).waitFor();
      await page.getByRole('button', { name: 'Relay' }).click();
      await page.getByRole('textbox', { name: 'Relay URL' }).waitFor();
      expect(await widthOf()).toBe(idle);
      expect(idle).toBeGreaterThanOrEqual(160);
      const fit = await page.evaluate(() => {
        const bar = document.querySelector<HTMLElement>('.toolbar')!;
        const out = [...bar.querySelectorAll<HTMLElement>('*')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5);
        });
        return { scroll: bar.scrollWidth, client: bar.clientWidth, doc: document.documentElement.scrollWidth, out: out.map((e) => e.className || e.tagName) };
      });
      expect(fit.out).toEqual([]);
      expect(fit.scroll).toBeLessThanOrEqual(fit.client);
      expect(fit.doc).toBeLessThanOrEqual(SMALL_SCREEN.width);
      await b!.shot(`bm-02-toolbar-everything-on-${scheme}`);
      await page.getByRole('button', { name: /REC/ }).click();
      await page.getByRole('button', { name: 'Relay on' }).click();
      expect(b!.problems).toEqual([]);
    }, 60_000);

    it(`PII chips stay inside their row and meet WCAG AA; line numbers are neither read nor copied (${scheme})`, async () => {
      const page = await open(scheme);
      await sendTurn(page, 'Show the customer record', 'pii');
      const chips = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.lanes .hit-start[data-type]')].map((el) => {
          const st = getComputedStyle(el, '::before');
          const row = el.closest('.row')!.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          const top = box.top + parseFloat(st.top);
          return { type: el.dataset.type, top, rowTop: row.top, color: st.color, background: st.backgroundColor, size: parseFloat(st.fontSize) };
        }),
      );
      expect(chips.length).toBeGreaterThanOrEqual(8);
      for (const c of chips) {
        expect(c.top, `${c.type} chip rises above its row`).toBeGreaterThanOrEqual(c.rowTop - 0.5);
        expect(contrast(c.color, c.background), `${c.type}: ${c.color} on ${c.background}`).toBeGreaterThanOrEqual(4.5);
      }
      // Copy the first three rows of the raw lane as a user would: no gutter numbers in the text.
      const copied = await page.evaluate(() => {
        const rows = [...document.querySelectorAll('.lane-raw .row')].filter((r) => !r.classList.contains('row-head')).slice(0, 3);
        const range = document.createRange();
        range.setStartBefore(rows[0]!);
        range.setEndAfter(rows[rows.length - 1]!);
        const sel = window.getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
        return sel.toString();
      });
      // The answer's own first words come first: no "1" (or "·") of a gutter before them.
      expect(copied.trimStart()).toMatch(/^This is what we have stored/);
      expect(await raw().ariaSnapshot()).not.toMatch(/text: "?\d+"?\s*$/m);
      await b!.shot(`bm-03-pii-chips-${scheme}`);
      expect(b!.problems).toEqual([]);
    }, 60_000);
  }

  it('an error line in a lane expands to the whole message', async () => {
    const page = await open();
    await sendTurn(page, 'Tell me everything', 'server-error');
    const msg = raw().locator('.foot.err .msg').first();
    const full = (await msg.getAttribute('title')) ?? '';
    expect(full.length).toBeGreaterThan(10);
    await raw().getByRole('button', { name: 'Show the whole error message' }).first().click();
    const whole = raw().getByRole('note', { name: 'Whole error message' });
    await whole.waitFor();
    expect(await whole.textContent()).toContain(full);
    const box = (await whole.boundingBox())!;
    const lane = (await raw().boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(lane.x + lane.width + 0.5);
    await b!.shot('bm-04-error-expanded');
    await raw().getByRole('button', { name: 'Hide the whole error message' }).click();
    await whole.waitFor({ state: 'detached' });
    expect(b!.problems).toEqual([]);
  }, 60_000);

  it('reloading asks before dropping a session that has turns', async () => {
    const page = await open();
    await sendTurn(page, 'What are the naming rules?', 'happy');
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => resolve(d.type())));
    void page.reload().catch(() => undefined);
    expect(await asked).toBe('beforeunload');
    expect(b!.problems.filter((p) => !p.startsWith('dialog:'))).toEqual([]);
  }, 60_000);

  it('turns started through the relay appear in the session of the app that runs it', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Relay' }).click();
    const url = await page.getByRole('textbox', { name: 'Relay URL' }).inputValue();
    const res = await fetch(`${url}/stream?input=${encodeURIComponent('hello from my own frontend')}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/event: done/);
    await expect.poll(() => raw().textContent(), { timeout: 15_000 }).toContain('hello from my own frontend');
    await expect.poll(() => raw().textContent(), { timeout: 15_000 }).toMatch(/complete · \d+ tokens/);
    await b!.shot('bm-05-relay-turn-in-session');
    await page.getByRole('button', { name: 'Relay on' }).click();
    expect(b!.problems).toEqual([]);
  }, 60_000);
});
