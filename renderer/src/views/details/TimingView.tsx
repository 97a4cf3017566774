// Timing of the selected turn: TTFT, tokens/s, gap percentiles and an inter-token gap chart (SVG) with
// the stall threshold drawn and stalls flagged. The figures come from shared/turn-timing.ts, as the CLI's.
import { useMemo, useState } from 'react';
import { useAppStore, useStore, type AppStore } from '../../store/store';
import type { TurnData } from '../../store/turn-model';
import { int, ms, secs } from '../format';
import { timingOf, type Timing } from '../../../../shared/turn-timing';
import { Timeline } from './Timeline';

const W = 380;
const H = 140;
const PAD = { l: 36, r: 6, t: 8, b: 18 };

/**
 * The figures last shown, per window store: switching tabs unmounts this view, and coming back to the same
 * turn at the same redraw step shows what staying open would have shown, without another O(tokens) pass
 * (timingOf over a 100k-token answer is ~10 ms, on the click that shows the tab).
 */
const shown = new WeakMap<AppStore, { turnId: string; step: number; stallMs: number; turn: TurnData; timing: Timing }>();

function timingFor(store: AppStore, turnId: string | undefined, step: number, stallMs: number): { turn: TurnData; timing: Timing } | undefined {
  const last = shown.get(store);
  if (last && last.turnId === turnId && last.step === step && last.stallMs === stallMs) return last;
  const turn = turnId && step !== -1 ? store.getState().session.turns.byId[turnId] : undefined;
  if (!turn || !turnId) return undefined;
  const entry = { turnId, step, stallMs, turn, timing: timingOf({ at: turn.tokens.at, end: turn.end }, stallMs) };
  shown.set(store, entry);
  return entry;
}

/** The chart's bars as two paths (gaps, stalls): one element each, where a rect per bar made the tab's first render cost ~2 DOM nodes per bucket. */
function barPaths(series: Timing['series'], stallMs: number, x: (i: number) => number, y: (v: number) => number, barW: number): { bars: string; stalls: string } {
  let bars = '';
  let stalls = '';
  const base = H - PAD.b;
  for (const [i, v] of series) {
    const top = Math.min(y(v), base - 0.5);
    const d = `M${x(i).toFixed(2)} ${top.toFixed(2)}h${barW.toFixed(2)}V${base}h${(-barW).toFixed(2)}Z`;
    if (v > stallMs) stalls += d;
    else bars += d;
  }
  return { bars, stalls };
}

export function TimingView() {
  const store = useAppStore();
  const turnId = useStore((s) => s.ui.selectedTurnId);
  // A streaming turn is redrawn at steps of its token count (every 500 tokens, or 10 % once longer), not
  // per token batch: the chart costs O(tokens) and a 100k-token answer arrives in thousands of batches.
  const step = useStore((s) => {
    const t = turnId ? s.session.turns.byId[turnId] : undefined;
    if (!t) return -1;
    if (t.status !== 'streaming') return -2 - t.version;
    const n = t.tokens.at.length;
    return n < 5_000 ? Math.floor(n / 500) : 10 + Math.floor(Math.log(n / 5_000) / Math.log(1.1));
  });
  const stallMs = useStore((s) => s.settings.values.stallThresholdMs);
  const shownNow = useMemo(() => timingFor(store, turnId, step, stallMs), [store, turnId, step, stallMs]);
  const turn = shownNow?.turn;
  const timing = shownNow?.timing;
  // The bar under the pointer, read out in the chart (one bar per bucket of gaps; its first token and its largest gap).
  const [hover, setHover] = useState<number | undefined>(undefined);

  // Scaled to the gaps; the stall threshold is drawn when it falls inside, else named at the top.
  const maxY = Math.max((timing?.max ?? 0) * 1.2, 1);
  const thresholdShown = stallMs <= maxY;
  // One bar per gap; a final silence (ended in the timeout) is the bar after the last token.
  const maxX = timing ? Math.max(1, timing.series.length ? timing.series[timing.series.length - 1]![0] : timing.tokens - 1) : 1;
  const x = (i: number) => PAD.l + ((i - 1) / Math.max(1, maxX - 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - v / maxY) * (H - PAD.t - PAD.b);
  const barW = Math.max(1, (W - PAD.l - PAD.r) / Math.max(1, timing?.series.length ?? 1) - 0.5);
  // x, y and barW follow from timing alone.
  const paths = useMemo(() => (timing ? barPaths(timing.series, stallMs, x, y, barW) : undefined), [timing, stallMs]);
  if (!turn || !timing || !paths) return <p className="hint">No turn yet.</p>;
  const hovered = hover !== undefined ? timing.series[hover] : undefined;
  const onPointerMove = (e: React.PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - r.left) / Math.max(1, r.width)) * W;
    // The last bar that starts at or left of the pointer (the space up to the next bar is this one's), over the plot.
    let k = -1;
    for (let j = 0; j < timing.series.length && x(timing.series[j]![0]) <= px; j++) k = j;
    const last = k === timing.series.length - 1;
    setHover(px >= PAD.l && k >= 0 && (!last || px <= x(timing.series[k]![0]) + barW + 1) ? k : undefined);
  };

  return (
    <div className="timing">
      {turn.status === 'streaming' ? (
        <p className="hint">
          Streaming: as of token {int(timing.tokens)}; redrawn every 500 tokens (every 10 % past 5,000).
        </p>
      ) : null}
      <dl className="kv">
        <dt>Time to first token</dt>
        <dd>{secs(timing.ttft)}</dd>
        <dt>Duration</dt>
        <dd>{secs(timing.duration)}</dd>
        <dt>Tokens</dt>
        <dd>{int(timing.tokens)}</dd>
        <dt>Tokens/s (wall time)</dt>
        <dd>{timing.tokensPerSec ? timing.tokensPerSec.toFixed(1) : '—'}</dd>
        <dt>Gap p50 / p95 / max</dt>
        <dd>
          {ms(timing.p50)} / {ms(timing.p95)} / {ms(timing.max)}
        </dd>
        <dt>Stalls (&gt; {stallMs} ms)</dt>
        <dd className={timing.stalls.length ? 'bad' : undefined}>
          {timing.stalls.length ? `${timing.stalls.length} ⚠ (longest ${secs(Math.max(...timing.stalls.map((s) => s.gap)))})` : 'none'}
        </dd>
      </dl>
      <svg
        className="gap-chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Inter-token gaps of turn ${turn.ordinal}: ${timing.stalls.length} stalls`}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHover(undefined)}
      >
        <line className="axis" x1={PAD.l} y1={H - PAD.b} x2={W - PAD.r} y2={H - PAD.b} />
        <line className="axis" x1={PAD.l} y1={PAD.t} x2={PAD.l} y2={H - PAD.b} />
        <text className="tick" x={PAD.l - 4} y={PAD.t + 8} textAnchor="end">
          {Math.round(maxY)}
        </text>
        <text className="tick" x={PAD.l - 4} y={H - PAD.b} textAnchor="end">
          0
        </text>
        <text className="tick" x={W - PAD.r} y={H - 4} textAnchor="end">
          token {maxX + 1}
        </text>
        <text className={hovered && hovered[1] > stallMs ? 'tick warn' : 'tick'} x={PAD.l} y={H - 4}>
          {hovered ? `token ${hovered[0]}${timing.series[hover! + 1] && timing.series[hover! + 1]![0] > hovered[0] + 1 ? `–${timing.series[hover! + 1]![0] - 1}` : ''}: ${hovered[1].toFixed(0)} ms` : 'gap ms per token'}
        </text>
        {paths.bars ? <path className="bar" d={paths.bars} /> : null}
        {paths.stalls ? <path className="bar stall" d={paths.stalls} /> : null}
        {hovered ? <rect className="bar-hover" x={x(hovered[0])} y={PAD.t} width={barW} height={H - PAD.t - PAD.b} /> : null}
        {thresholdShown ? (
          <>
            <line className="threshold" x1={PAD.l} x2={W - PAD.r} y1={y(stallMs)} y2={y(stallMs)} />
            <text className="tick warn" x={W - PAD.r} y={y(stallMs) - 3} textAnchor="end">
              stall {stallMs} ms
            </text>
          </>
        ) : (
          <text className="tick" x={W - PAD.r} y={PAD.t + 8} textAnchor="end">
            stall threshold {stallMs} ms: above every gap
          </text>
        )}
      </svg>
      {timing.stalls.length ? (
        <ul className="stalls">
          {timing.stalls.slice(0, 20).map((s) => (
            <li key={s.index}>
              {s.final
                ? `⚠ stall after token ${s.index - 1}: ${secs(s.gap)} of silence, ended in the timeout`
                : `⚠ stall before token ${s.index}: ${secs(s.gap)}`}
            </li>
          ))}
        </ul>
      ) : null}
      {turnId ? <Timeline turnId={turnId} /> : null}
      <label className="field inline">
        <span>Stall threshold (ms)</span>
        <input
          type="number"
          min={1}
          step={50}
          value={stallMs}
          onChange={(e) => {
            const v = Math.round(Number(e.target.value));
            if (v > 0) void store.getState().settings.update({ stallThresholdMs: v });
          }}
        />
      </label>
    </div>
  );
}
