// How often the lanes take in what the store applied. A lanes commit costs about the rows it replaces, and a
// fast stream (a replay at full speed: 20,000 tokens/s) replaces most of a screenful per frame: were the
// lanes to follow every frame, they alone would fill the main thread, the store would fall behind and the
// frames grow longer still. Paced, the lanes show the newest state no sooner than twice their last commit's
// own cost after it, so they take at most about half the main thread whatever arrives; a slow stream (each
// commit a few rows, a few ms) is shown every frame as before. Rendering with nothing new to take in costs
// the memoized lanes nothing.
// The app injects its clock and frame (main.tsx); without them (tests) the lanes show each state at once.
import { useLayoutEffect, useReducer, useRef } from 'react';

export interface LanePace {
  /** ms, monotonic (performance.now in the app). */
  now(): number;
  /** Runs `wake` before a later frame (the app: frame.ts nextFrame). */
  later(wake: () => void): void;
}

let pace: LanePace | undefined;

/** Sets (or, with undefined, removes) the lanes' pacing; called once at start-up. */
export function paceLanes(p: LanePace | undefined): void {
  pace = p;
}

/**
 * Time to wait after a commit, per ms the commit took. The commit is measured from the lanes' render to their
 * last layout effect (their scroll lays the new rows out in it); the pre-paint, paint, layerizing and
 * compositor commit of the same frame come after it and cost about two thirds as much again (main-thread
 * trace at 20,000 tokens/s). Waiting as long again as the commit let the lanes take (1 + 2/3) / 2 ≈ 80 % of
 * the main thread; twice as long, (1 + 2/3) / 3 ≈ 55 %.
 */
const WAIT_PER_COMMIT_MS = 2;

/**
 * The value the lanes show: `live` itself when unpaced or when the last commit's cost has passed, else the
 * value shown before (and a wake-up is booked, so the newest value is shown even if nothing else arrives).
 * Call `committed` from the lanes' last layout effect: it measures the commit that showed a new value.
 */
export function usePaced<T>(live: T): { value: T; committed(): void } {
  const shown = useRef(live);
  const nextAt = useRef(0);
  const startedAt = useRef<number | undefined>(undefined);
  const waiting = useRef(false);
  const [, wake] = useReducer((n: number) => n + 1, 0);
  const p = pace;
  if (!p) shown.current = live;
  else if (live !== shown.current) {
    const now = p.now();
    if (now >= nextAt.current) {
      shown.current = live;
      startedAt.current = now;
    } else if (!waiting.current) {
      waiting.current = true;
      p.later(() => {
        waiting.current = false;
        wake();
      });
    }
  }
  const committed = () => {
    if (!p || startedAt.current === undefined) return;
    const end = p.now();
    nextAt.current = end + (end - startedAt.current) * WAIT_PER_COMMIT_MS;
    startedAt.current = undefined;
  };
  return { value: shown.current, committed };
}

/** Runs the measurement after every other layout effect of the component that declares it last. */
export function useCommitted(paced: { committed(): void }): void {
  useLayoutEffect(() => paced.committed());
}
