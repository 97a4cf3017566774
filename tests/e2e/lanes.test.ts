// The lanes' rows in real Chromium (browser mode, real engine, the built-in simulator), as a user sees them:
// plain rows (printable ASCII, nothing but token boundaries) are one text node whose token shading is a
// background in `ch`, so the shading must land on each token's own characters, and a click on a token must
// still select that whole token. Screenshots at 1280×720, light and dark, in test-artifacts/e2e/.
import { describe, expect, it } from 'vitest';
import { sendTurn, sharedUi, SMALL_SCREEN, type Browser } from './ui-harness';

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
  background: string;
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
      const mine: Array<PlainRow & { nodes: number }> = await raw.locator(`[data-turn="${spans.turnId}"] [data-plain]`).evaluateAll((els) =>
        els.map((el) => {
          const box = el.getBoundingClientRect();
          const text = el.firstChild as Text;
          const range = document.createRange();
          const charLeft: number[] = [];
          for (let i = 0; i < text.length; i++) {
            range.setStart(text, i);
            range.setEnd(text, i + 1);
            charLeft.push(range.getBoundingClientRect().left);
          }
          return { o: Number((el as HTMLElement).dataset.o), text: el.textContent ?? '', left: box.left, width: box.width, charLeft, background: getComputedStyle(el).backgroundImage, top: box.top, height: box.height, nodes: el.childNodes.length };
        }),
      );
      expect(mine.length).toBeGreaterThan(3);
      for (const r of mine) expect(r.nodes).toBe(1);
      // Every token start inside a row is a hard edge of the background at exactly that character's left edge.
      let checked = 0;
      for (const r of mine) {
        const ch = r.width / r.text.length;
        const starts = spans.spanStart.filter((s) => s > r.o && s < r.o + r.text.length);
        expect(r.background).toContain('linear-gradient');
        // Computed stops are in px: a token's tick is a 1 px band starting where its first character does.
        const stops = [...r.background.matchAll(/(-?[\d.]+)px/g)].map((m) => Number(m[1]));
        for (const s of starts) {
          const col = s - r.o;
          const x = r.charLeft[col]! - r.left;
          expect(Math.abs(col * ch - x)).toBeLessThan(0.5);
          const at = stops.findIndex((v) => Math.abs(v - x) < 0.5);
          expect(at, `no stop at the ${col}th character (${x} px) in ${r.background}`).toBeGreaterThanOrEqual(0);
          expect(stops).toContainEqual(expect.closeTo(stops[at]! + 1, 2));
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
});
