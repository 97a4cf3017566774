// Timing of the selected turn: TTFT, tokens/s, gap percentiles and an inter-token gap chart (SVG) with
// the stall threshold drawn and stalls flagged. The figures come from shared/turn-timing.ts, as the CLI's.
import { useMemo } from 'react';
import { useAppStore, useStore } from '../../store/store';
import { int, ms, secs } from '../format';
import { timingOf } from '../../../../shared/turn-timing';
import { Timeline } from './Timeline';

const W = 380;
const H = 140;
const PAD = { l: 36, r: 6, t: 8, b: 18 };

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
  const turn = useMemo(() => (turnId && step !== -1 ? store.getState().session.turns.byId[turnId] : undefined), [store, turnId, step]);
  const stallMs = useStore((s) => s.settings.values.stallThresholdMs);
  const timing = useMemo(() => (turn ? timingOf({ at: turn.tokens.at, end: turn.end }, stallMs) : undefined), [turn, stallMs]);
  if (!turn || !timing) return <p className="hint">No turn yet.</p>;

  // Scaled to the gaps; the stall threshold is drawn when it falls inside, else named at the top.
  const maxY = Math.max((timing.max ?? 0) * 1.2, 1);
  const thresholdShown = stallMs <= maxY;
  // One bar per gap; a final silence (ended in the timeout) is the bar after the last token.
  const maxX = Math.max(1, timing.series.length ? timing.series[timing.series.length - 1]![0] : timing.tokens - 1);
  const x = (i: number) => PAD.l + ((i - 1) / Math.max(1, maxX - 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - v / maxY) * (H - PAD.t - PAD.b);
  const barW = Math.max(1, (W - PAD.l - PAD.r) / Math.max(1, timing.series.length) - 0.5);

  return (
    <div className="timing">
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
      <svg className="gap-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Inter-token gaps of turn ${turn.ordinal}: ${timing.stalls.length} stalls`}>
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
        <text className="tick" x={PAD.l} y={H - 4}>
          gap ms per token
        </text>
        {timing.series.map(([i, v]) => (
          <rect key={i} className={v > stallMs ? 'bar stall' : 'bar'} x={x(i)} y={y(v)} width={barW} height={Math.max(0.5, H - PAD.b - y(v))}>
            <title>{`token ${i}: ${v.toFixed(0)} ms`}</title>
          </rect>
        ))}
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
