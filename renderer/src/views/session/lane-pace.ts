// How often the lanes take in what the store applied. A lanes commit costs about the rows it replaces, and a
// fast stream (a replay at full speed: 20,000 tokens/s) replaces most of a screenful per frame: were the
// lanes to follow every frame, they alone would fill the main thread, the store would fall behind and the
// frames grow longer still. Paced, the lanes show the newest state no sooner than twice their last commit's
// own cost after it, so they take at most about half the main thread whatever arrives; a slow stream (each
// commit a few rows, a few ms) is shown as soon as it arrives, as before. Rendering with nothing new to take
// in costs the memoized lanes nothing.
// And in a task of their own: the store applies a frame's batches in the frame's animation callback, and a
// lanes commit in that same task (batches, commit, the forced layout of the scroll, then paint) made it the
// one long task of a fast stream's first second, while the code was still cold (30–60 ms there against
// 15–25 ms later). So a new state is taken in by a render that a timer wakes, right after that task.
// The app injects its clock and timer (main.tsx); without them (tests) the lanes show each state at once.
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef } from 'react';

export interface LanePace {
  /** ms, monotonic (performance.now in the app). */
  now(): number;
  /** Runs `wake` in a task of its own, `delayMs` from now or later (the app: setTimeout). */
  later(wake: () => void, delayMs: number): void;
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
 * The value the lanes show, read from a store they do not re-render with. Unpaced, every change of `get()`
 * is shown at once. Paced, a change books a wake-up for when the last commit's cost has passed (at once if it
 * has), and the render it wakes, in a task of its own, shows the newest value; the store's own update (in its
 * frame callback) renders nothing here. Call `committed` from the lanes' last layout effect: it measures the
 * commit that showed a new value. `subscribe` and `get` must be stable.
 */
export function usePaced<T>(subscribe: (onChange: () => void) => () => void, get: () => T): { value: T; committed(): void } {
  const st = useRef<{ shown: T; nextAt: number; startedAt?: number; waiting: boolean; woken: boolean } | null>(null);
  st.current ??= { shown: get(), nextAt: 0, waiting: false, woken: false };
  const s = st.current;
  const [, wake] = useReducer((n: number) => n + 1, 0);
  const book = useCallback(() => {
    if (s.waiting || get() === s.shown) return;
    const p = pace;
    if (!p) return wake();
    s.waiting = true;
    p.later(
      () => {
        s.waiting = false;
        s.woken = true;
        wake();
      },
      // Whole ms, rounded up: a timer truncates its delay, and a wake-up before the time only books another.
      Math.max(0, Math.ceil(s.nextAt - p.now())),
    );
  }, [s, get]);
  const p = pace;
  const mayTake = !p || s.woken;
  s.woken = false;
  const live = get();
  if (live !== s.shown) {
    const now = p?.now() ?? 0;
    if (mayTake && now >= s.nextAt) {
      s.shown = live;
      s.startedAt = p ? now : undefined;
    } else if (mayTake) book(); // woken a little early: again for the rest
  }
  useEffect(() => {
    const off = subscribe(book);
    book(); // a change between this render and the subscription
    return off;
  }, [subscribe, book]);
  const committed = () => {
    if (!p || s.startedAt === undefined) return;
    const end = p.now();
    s.nextAt = end + (end - s.startedAt) * WAIT_PER_COMMIT_MS;
    s.startedAt = undefined;
  };
  return { value: s.shown, committed };
}

/** Runs the measurement after every other layout effect of the component that declares it last. */
export function useCommitted(paced: { committed(): void }): void {
  useLayoutEffect(() => paced.committed());
}
