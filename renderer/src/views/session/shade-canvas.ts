// The token shading of plain rows (segments.ts isPlainRow), painted on one canvas per lane under the rows'
// text. A CSS gradient per row did the same, but its parse, the var() substitution at every style pass and
// its paint were about half of what a lanes commit cost the browser when a fast stream replaces a screenful
// of rows per frame; filling a few hundred rectangles is a fraction of a millisecond. Rows register their
// shades while mounted (a layout effect, so they are in before the lane's own effect draws); the lane redraws
// when a row's shades, the rows in view, the metrics or the theme change, and does nothing otherwise.
import { createContext } from 'react';
import type { ShadeRun } from './segments';

/** Where the text of a row lies, measured once per lane width (Lanes.tsx): what the canvas must line up with. */
export interface ShadeMetrics {
  /** Advance of one character of the lanes' monospace font, px. */
  charW: number;
  /** From the row's left edge to its text's first character, px. */
  textLeft: number;
  /** The band an inline background covers (the font's content area), from the row's top, px. */
  bandTop: number;
  bandHeight: number;
  /** The canvas's width, px: the text's left edge plus the lane's columns (no row is wider). */
  width: number;
}

/** The shades of the rows in view, by their top (px in the lane body). */
export class ShadeRows {
  private readonly rows = new Map<number, readonly ShadeRun[]>();
  /** Bumped on every change: the lane redraws only when it moved. */
  version = 0;
  set(top: number, runs: readonly ShadeRun[]): void {
    this.rows.set(top, runs);
    this.version++;
  }
  delete(top: number, runs: readonly ShadeRun[]): void {
    // A row whose shades were replaced meanwhile (a re-render registered new ones first) keeps them.
    if (this.rows.get(top) !== runs) return;
    this.rows.delete(top);
    this.version++;
  }
  entries(): IterableIterator<[number, readonly ShadeRun[]]> {
    return this.rows.entries();
  }
}

export const ShadeRowsContext = createContext<ShadeRows | undefined>(undefined);

interface Colors {
  a: string;
  b: string;
  tick: string;
}

/** The theme's token colours (theme.css), as the CSS of the canvas resolves them. */
function readColors(el: Element): Colors {
  const s = getComputedStyle(el);
  const v = (name: string) => s.getPropertyValue(name).trim() || 'transparent';
  return { a: v('--tok-a'), b: v('--tok-b'), tick: v('--tok-tick') };
}

export interface DrawState {
  canvas?: HTMLCanvasElement;
  version: number;
  top: number;
  height: number;
  metrics?: ShadeMetrics;
  theme: string;
  colors?: Colors;
}

export const NEVER_DRAWN: DrawState = { version: -1, top: -1, height: -1, theme: '' };

/**
 * Paints the shades of the rows whose top is in [top, top + height) onto `canvas`, placed at `top`; returns
 * what it drew from, or `last` itself when nothing changed since (then it does nothing). A new size
 * reallocates the canvas: callers keep `height` steady (Lanes.tsx).
 */
export function drawShades(canvas: HTMLCanvasElement, rows: ShadeRows, top: number, height: number, metrics: ShadeMetrics | undefined, theme: string, last: DrawState): DrawState {
  if (!metrics) return last;
  if (last.canvas === canvas && last.version === rows.version && last.top === top && last.height === height && last.metrics === metrics && last.theme === theme) return last;
  const ctx = canvas.getContext('2d');
  if (!ctx) return last;
  const colors = last.theme === theme && last.colors ? last.colors : readColors(canvas);
  const dpr = window.devicePixelRatio || 1;
  // From the metrics, not the layout: reading a size here would lay out the new rows before their time.
  const cssW = metrics.width;
  const w = Math.max(1, Math.round(cssW * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${cssW}px`;
    canvas.style.height = `${height}px`;
  }
  canvas.style.transform = `translateY(${top}px)`;
  ctx.clearRect(0, 0, w, h);
  // In device pixels, each edge rounded to one: hard edges as the gradient had, no seams between shades.
  const { charW, textLeft, bandTop, bandHeight } = metrics;
  const px = (x: number) => Math.round(x * dpr);
  const tickW = Math.max(1, Math.round(dpr));
  for (const [rowTop, runs] of rows.entries()) {
    const y = rowTop - top + bandTop;
    if (y < 0 || y >= height) continue;
    const y0 = px(y);
    const bandH = px(y + bandHeight) - y0;
    for (const r of runs) {
      const x0 = px(textLeft + r.from * charW);
      const x1 = px(textLeft + r.to * charW);
      const color = r.parity ? colors.b : colors.a;
      if (color !== 'transparent' && x1 > x0) {
        ctx.fillStyle = color;
        ctx.fillRect(x0, y0, x1 - x0, bandH);
      }
      if (r.tick) {
        ctx.fillStyle = colors.tick;
        ctx.fillRect(x0, y0, tickW, bandH);
      }
    }
  }
  return { canvas, version: rows.version, top, height, metrics, theme, colors };
}
