// How often the lanes take in what the store applied. A lanes commit costs about the rows it replaces, and a
// fast stream (a replay at full speed: 20,000 tokens/s) replaces most of a screenful per frame: were the
// lanes to follow every frame, they alone would fill the main thread, the store would fall behind and the
// frames grow longer still. Paced, the lanes show the newest state no sooner than twice their last commit's
// own cost after it, so they take at most about half the main thread whatever arrives; a slow stream (each
// commit a few rows, a few ms) is shown as soon as it arrives, as before. Rendering with nothing new to take
// in costs the memoized lanes nothing.
// And a large change in a task of its own: the store applies a frame's batches in the frame's animation
// callback, and a lanes commit of many new rows in that same task (batches, commit, the forced layout of the
// scroll, then paint) made it the one long task of a fast stream's first second, while the code was still
// cold (30–60 ms there against 15–25 ms later). So a change of more than LARGE_CHANGE characters is taken in
// by a render a timer wakes, right after that task; a smaller one (a live stream's frame: ~220 characters at
// 2,000 tokens/s) in the store's update itself, since a task of its own costs its own style and layout pass.
// The app injects its clock and timer (main.tsx); without them (tests) the lanes show each state at once.
import { useCallback, useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';

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
 * Lane characters (raw and filtered together) taken in at once above which the lanes take them in a task of
 * their own: a frame's worth at 2,000 tokens/s is ~220 (33 tokens of ~3.3 characters, in both lanes), at
 * 20,000 ~2,200.
 */
export const LARGE_CHANGE = 800;

interface Shown<T> {
  value: T;
  /** `size(value)`: what a change is measured against. */
  size: number;
  nextAt: number;
  startedAt?: number;
  waiting: boolean;
  listeners: Set<() => void>;
}

/**
 * The value the lanes show, kept apart from the store they read. Unpaced, every change of `get()` is shown
 * at once. Paced, a change is shown in the store's own update when the last commit's cost has passed and it
 * adds at most LARGE_CHANGE to `size`; otherwise a wake-up is booked (for when that cost has passed), and the
 * render it wakes, in a task of its own, shows the newest value. Call `committed` from the lanes' last layout
 * effect: it measures the commit that showed a new value. `subscribe`, `get` and `size` must be stable.
 */
export function usePaced<T>(subscribe: (onChange: () => void) => () => void, get: () => T, size: (v: T) => number): { value: T; committed(): void } {
  const ref = useRef<Shown<T> | null>(null);
  if (ref.current === null) {
    const v = get();
    ref.current = { value: v, size: size(v), nextAt: 0, waiting: false, listeners: new Set() };
  }
  const s = ref.current;
  const take = useCallback(
    (v: T, vSize: number, now: number | undefined) => {
      s.value = v;
      s.size = vSize;
      s.startedAt = now;
      for (const l of s.listeners) l();
    },
    [s],
  );
  const onChange = useCallback(
    (woken = false) => {
      if (s.waiting && !woken) return;
      s.waiting = false;
      const live = get();
      if (live === s.value) return;
      const p = pace;
      if (!p) return take(live, size(live), undefined);
      const now = p.now();
      if (now >= s.nextAt) {
        const liveSize = size(live);
        if (woken || liveSize - s.size <= LARGE_CHANGE) return take(live, liveSize, now);
      }
      s.waiting = true;
      // Whole ms, rounded up: a timer truncates its delay, and a wake-up before the time only books another.
      p.later(() => onChange(true), Math.max(0, Math.ceil(s.nextAt - now)));
    },
    [s, get, size, take],
  );
  const value = useSyncExternalStore(
    useCallback(
      (l: () => void) => {
        s.listeners.add(l);
        return () => void s.listeners.delete(l);
      },
      [s],
    ),
    () => s.value,
  );
  useEffect(() => {
    const off = subscribe(() => onChange());
    onChange(); // a change between the first render and the subscription
    return off;
  }, [subscribe, onChange]);
  const committed = () => {
    const p = pace;
    if (!p || s.startedAt === undefined) return;
    const end = p.now();
    s.nextAt = end + (end - s.startedAt) * WAIT_PER_COMMIT_MS;
    s.startedAt = undefined;
  };
  return { value, committed };
}

/** Runs the measurement after every other layout effect of the component that declares it last. */
export function useCommitted(paced: { committed(): void }): void {
  useLayoutEffect(() => paced.committed());
}
