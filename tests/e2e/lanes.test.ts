// The lanes' rows in real Chromium (browser mode, real engine, the built-in simulator), as a user sees them:
// plain rows (printable ASCII, nothing but token boundaries) are one text node whose token shading is painted
// under it on the lane's canvas, so the shading must land on each token's own characters (read back from the
// canvas's pixels), and a click on a token must still select that whole token. Screenshots at 1280×720, light and dark, in test-artifacts/e2e/.
import { describe, expect, it } from 'vitest';
import { sendTurn, sharedUi, SMALL_SCREEN, submitMessage, type Browser } from './ui-harness';

const shared = sharedUi();
let b: Browser | undefined;

interface PlainRow {
  /** Raw offset of the row's first character. */
  o: number;
  text: string;
  left: number;
  width: number;
  /** Left edge of each character as laid out (Range rects). */
  charLeft: number[];
  /**
   * Per character, the canvas's pixels (rgba) in the row's middle: at the device pixel nearest the character's
   * left edge, the one before it, and the one under the character's middle.
   */
  paint: Array<{ at: number[]; before: number[]; inside: number[] }>;
  top: number;
  height: number;
}

describe('lanes in Chromium', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`plain rows (${scheme}): one text node, token shading on the tokens' own characters, a click selects the token`, async () => {
      b = await shared.open(`${shared.ui.url}&debug=1`, { colorScheme: scheme, viewport: SMALL_SCREEN });
      const { page } = b;
      await expect.poll(() => page.getByText('ready · gateway').count(), { timeout: 20_000 }).toBe(1);
      await sendTurn(page, 'What are the naming rules?', 'happy');
      await sendTurn(page, 'And the second answer?', 'happy');
      const raw = page.getByRole('region', { name: 'Raw tokens' });
      const spans = await page.evaluate(() => {
        const s = (window as unknown as { __debuggerStore: { getState(): { session: { turns: { order: string[]; byId: Record<string, { spanStart: number[]; spanToken: number[]; raw: { length: number } }> } } } } }).__debuggerStore.getState();
        const t = s.session.turns.byId[s.session.turns.order[1]!]!;
        return { turnId: s.session.turns.order[1]!, spanStart: t.spanStart, spanToken: t.spanToken, length: t.raw.length };
      });
      // The second turn's plain rows (a row's data-o is an offset in its own turn).
      const mine: Array<PlainRow & { nodes: number }> = await raw.locator(`[data-turn="${spans.turnId}"] [data-plain]`).evaluateAll((els) => {
        const canvas = document.querySelector<HTMLCanvasElement>('.lane-raw .lane-shades')!;
        const cbox = canvas.getBoundingClientRect();
        const scale = canvas.width / cbox.width;
        const image = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const pixel = (x: number, y: number) => {
          const i = (Math.floor(y) * image.width + x) * 4;
          return [...image.data.slice(i, i + 4)];
        };
        return els.map((el) => {
          const box = el.getBoundingClientRect();
          const text = el.firstChild as Text;
          const range = document.createRange();
          // The text's own box: the element is as wide as the row.
          range.selectNodeContents(el);
          const textBox = range.getBoundingClientRect();
          const charLeft: number[] = [];
          const paint: PlainRow['paint'] = [];
          const y = (box.top + box.height / 2 - cbox.top) * scale;
          for (let i = 0; i < text.length; i++) {
            range.setStart(text, i);
            range.setEnd(text, i + 1);
            const c = range.getBoundingClientRect();
            charLeft.push(c.left);
            const at = Math.round((c.left - cbox.left) * scale);
            paint.push({ at: pixel(at, y), before: pixel(at - 1, y), inside: pixel(Math.floor((c.left + c.width / 2 - cbox.left) * scale), y) });
          }
          return { o: Number((el as HTMLElement).dataset.o), text: el.textContent ?? '', left: textBox.left, width: textBox.width, charLeft, paint, top: box.top, height: box.height, nodes: el.childNodes.length };
        });
      });
      // The theme's token colours as the canvas paints them (opaque, or transparent for none).
      const colors = await page.evaluate(() => {
        const s = getComputedStyle(document.querySelector('.lane-raw .lane-shades')!);
        const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
        const rgba = (name: string) => {
          probe.clearRect(0, 0, 1, 1);
          probe.fillStyle = s.getPropertyValue(name).trim() || 'transparent';
          probe.fillRect(0, 0, 1, 1);
          return [...probe.getImageData(0, 0, 1, 1).data];
        };
        return { a: rgba('--tok-a'), b: rgba('--tok-b'), tick: rgba('--tok-tick') };
      });
      expect(colors.tick).not.toEqual(colors.b);
      expect(colors.a).not.toEqual(colors.b);
      expect(mine.length).toBeGreaterThan(3);
      for (const r of mine) expect(r.nodes).toBe(1);
      // Every token start inside a row is a hard edge of the shading at exactly that character's left edge: a
      // tick in the device pixel nearest it (so within 0.5 px), the previous token's shade right before it,
      // and the token's own shade under its first character.
      let checked = 0;
      for (const r of mine) {
        const ch = r.width / r.text.length;
        const starts = spans.spanStart.filter((s) => s > r.o && s < r.o + r.text.length);
        for (const s of starts) {
          const col = s - r.o;
          const x = r.charLeft[col]! - r.left;
          expect(Math.abs(col * ch - x)).toBeLessThan(0.5);
          const si = spans.spanStart.indexOf(s);
          const shade = (span: number) => (span % 2 ? colors.b : colors.a);
          const p = r.paint[col]!;
          expect(p.at, `no tick at the ${col}th character (${x} px) of "${r.text}"`).toEqual(colors.tick);
          expect(p.before, `the ${col - 1}th character of "${r.text}" is not in its token's shade`).toEqual(shade(si - 1));
          expect(p.inside, `the ${col}th character of "${r.text}" is not in its token's shade`).toEqual(shade(si));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(10);
      // A click on the middle of a token inside a plain row selects that whole token (the inspector's range).
      const row = mine[1]!;
      const tokenStart = spans.spanStart.find((s) => s > row.o + 2 && s < row.o + row.text.length - 4)!;
      const si = spans.spanStart.indexOf(tokenStart);
      const tokenEnd = spans.spanStart[si + 1] ?? spans.length;
      const col = tokenStart - row.o;
      await page.mouse.click(row.charLeft[col]! + (row.width / row.text.length) * 0.5, row.top + row.height / 2);
      const sel = await page.evaluate(() => (window as unknown as { __debuggerStore: { getState(): { ui: { selection?: { turnId: string; start: number; end: number } } } } }).__debuggerStore.getState().ui.selection);
      // A token may span several raw.text pieces: the selection runs from its first piece to the end of its last.
      const tok = spans.spanToken[si]!;
      const first = spans.spanToken.indexOf(tok);
      const last = spans.spanToken.lastIndexOf(tok);
      expect(sel).toEqual({ turnId: spans.turnId, start: spans.spanStart[first], end: spans.spanStart[last + 1] ?? spans.length });
      expect(sel!.start).toBeLessThanOrEqual(tokenStart);
      expect(sel!.end).toBeGreaterThanOrEqual(tokenEnd);
      await page.getByRole('table').waitFor();
      await b.shot(`lanes-plain-rows-${scheme}`);
      expect(b.problems).toEqual([]);
    }, 90_000);
  }

  it('follows the bottom while text arrives; scrolled up it stays put (both lanes together); back at the bottom it follows again', async () => {
    b = await shared.open(`${shared.ui.url}&debug=1`, { viewport: SMALL_SCREEN });
    const { page } = b;
    await expect.poll(() => page.getByText('ready · gateway').count(), { timeout: 20_000 }).toBe(1);
    // More rows than the lanes' height, then a turn that streams (the demo paces it over seconds).
    await sendTurn(page, 'First answer', 'happy');
    await sendTurn(page, 'Second answer', 'happy');
    const rawLength = () =>
      page.evaluate(() => {
        const s = (window as unknown as { __debuggerStore: { getState(): { session: { turns: { order: string[]; byId: Record<string, { raw: { length: number }; status: string }> } } } } }).__debuggerStore.getState();
        const t = s.session.turns.byId[s.session.turns.order[s.session.turns.order.length - 1]!]!;
        return { length: t.raw.length, status: t.status, turns: s.session.turns.order.length };
      });
    const lanes = () =>
      page.evaluate(() =>
        ['.lane-raw .lane-scroll', '.lane-filtered .lane-scroll'].map((q) => {
          const el = document.querySelector<HTMLElement>(q)!;
          const top = el.getBoundingClientRect().top;
          // The first row fully in view, as the user reads it.
          const first = [...el.querySelectorAll<HTMLElement>('.row')].filter((r) => r.getBoundingClientRect().top >= top).sort((x, y) => x.getBoundingClientRect().top - y.getBoundingClientRect().top)[0];
          return { scrollTop: el.scrollTop, bottom: el.scrollHeight - el.clientHeight - el.scrollTop, first: first?.textContent ?? '' };
        }),
      );
    await submitMessage(page, 'Third answer');
    await expect.poll(async () => (await rawLength()).turns, { timeout: 10_000 }).toBe(3);
    await expect.poll(async () => (await rawLength()).length, { timeout: 20_000 }).toBeGreaterThan(40);
    // Following: both lanes at the bottom as the text grows.
    const grown = (await rawLength()).length + 30;
    await expect.poll(async () => (await rawLength()).length, { timeout: 20_000 }).toBeGreaterThan(grown);
    await expect.poll(async () => (await lanes()).map((l) => l.bottom <= 1), { timeout: 5_000 }).toEqual([true, true]);
    // The user scrolls the raw lane up: both lanes stay where the user put them while text keeps arriving.
    const rawLane = await page.locator('.lane-raw .lane-scroll').boundingBox();
    await page.mouse.move(rawLane!.x + rawLane!.width / 2, rawLane!.y + rawLane!.height / 2);
    await page.mouse.wheel(0, -240);
    await expect.poll(async () => (await lanes())[0]!.bottom, { timeout: 5_000 }).toBeGreaterThan(100);
    await expect.poll(async () => { const [r, f] = await lanes(); return r!.scrollTop === f!.scrollTop; }, { timeout: 5_000 }).toBe(true);
    const before = await lanes();
    const at = (await rawLength()).length;
    await expect.poll(async () => (await rawLength()).status, { timeout: 30_000 }).not.toBe('streaming');
    expect((await rawLength()).length).toBeGreaterThan(at);
    const after = await lanes();
    expect(after.map((l) => l.scrollTop)).toEqual(before.map((l) => l.scrollTop));
    expect(after.map((l) => l.first)).toEqual(before.map((l) => l.first));
    // Back at the bottom, the lanes follow the next answer again.
    await page.mouse.wheel(0, 100_000);
    await expect.poll(async () => (await lanes()).map((l) => l.bottom <= 1), { timeout: 5_000 }).toEqual([true, true]);
    await sendTurn(page, 'Fourth answer', 'happy');
    await expect.poll(async () => (await lanes()).map((l) => l.bottom <= 1), { timeout: 5_000 }).toEqual([true, true]);
    expect(b.problems).toEqual([]);
  }, 120_000);
});
