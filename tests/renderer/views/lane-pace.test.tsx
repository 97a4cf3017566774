// The lanes' pacing (views/session/lane-pace.ts) with an injected clock and timer: a small store change is
// shown by the store's own update (in the app, its frame callback) when the last commit was cheap; a large one
// by a render a timer wakes, in a task of its own; after a costly commit every change waits twice its cost,
// and the newest value is shown then even when nothing else arrives. Unpaced (no clock injected, as in the
// other renderer tests) every change is shown at once.
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LARGE_CHANGE, paceLanes, useCommitted, usePaced } from '../../../renderer/src/views/session/lane-pace';

let clock = 0;
/** What each commit costs on the injected clock (advanced inside the commit's layout effect). */
let commitCost = 0;
/** Booked wake-ups and the delay each asked for. */
const frames: Array<() => void> = [];
const delays: number[] = [];
const runFrame = () => act(() => frames.splice(0).forEach((f) => f()));
const later = (wake: () => void, delayMs: number) => {
  frames.push(wake);
  delays.push(delayMs);
};
/** A store the component reads without re-rendering with it. */
let value = 1;
const listeners = new Set<() => void>();
const subscribe = (f: () => void) => {
  listeners.add(f);
  return () => void listeners.delete(f);
};
const get = () => value;
/** A value is its own size: a change adds the difference (as the lanes count tokens). */
const size = (v: number) => v;
const set = (v: number) =>
  act(() => {
    value = v;
    for (const f of listeners) f();
  });
let renders = 0;

function Shown({ other = 0 }: { other?: number }) {
  renders++;
  const paced = usePaced(subscribe, get, size);
  useCommitted({
    committed() {
      clock += commitCost;
      paced.committed();
    },
  });
  return (
    <span data-testid="shown" data-other={other}>
      {paced.value}
    </span>
  );
}

afterEach(() => {
  cleanup();
  paceLanes(undefined);
  frames.length = 0;
  delays.length = 0;
  clock = 0;
  value = 1;
  renders = 0;
});

describe('lane pacing', () => {
  it('a small change shows in the store\'s update, a large one in a woken render; a costly commit makes both wait twice its cost', () => {
    paceLanes({ now: () => clock, later });
    commitCost = 2;
    const view = render(<Shown />);
    const shown = () => view.getByTestId('shown').textContent;
    clock = 10;
    const before = renders;
    set(2);
    // A small change after a cheap commit: shown by the store's update itself, nothing booked.
    expect(shown()).toBe('2');
    expect(renders).toBe(before + 1);
    expect(delays).toEqual([]);
    // A large one: the store's update renders nothing; a wake-up at once, and the render it wakes shows it.
    clock = 20;
    const large = 2 + LARGE_CHANGE + 1;
    set(large);
    expect(renders).toBe(before + 1);
    expect(shown()).toBe('2');
    expect(delays).toEqual([0]);
    // The commit showing it starts at 20 and costs 30 ms (ends at 50): changes before 110 wait (twice its
    // cost: the frame's paint and compositing after the commit are not measured), small ones too.
    commitCost = 30;
    runFrame();
    expect(shown()).toBe(String(large));
    expect(renders).toBe(before + 2);
    commitCost = 1;
    clock = 80;
    set(large + 1);
    clock = 90;
    set(large + 2);
    expect(shown()).toBe(String(large));
    // One wake-up booked, not one per change, for when the cost has passed.
    expect(frames).toHaveLength(1);
    expect(delays.at(-1)).toBe(30);
    // Woken early (a timer may fire a little early): it books again for the rest.
    clock = 109;
    runFrame();
    expect(shown()).toBe(String(large));
    expect(frames).toHaveLength(1);
    expect(delays.at(-1)).toBe(1);
    // A render no timer woke (a prop of its own changed) takes nothing in, even once the cost has passed.
    clock = 111;
    view.rerender(<Shown other={1} />);
    expect(shown()).toBe(String(large));
    runFrame();
    expect(shown()).toBe(String(large + 2));
    expect(frames).toHaveLength(0);
    // And with the cost passed, a small change shows at once again.
    clock = 200;
    set(large + 3);
    expect(shown()).toBe(String(large + 3));
    expect(frames).toHaveLength(0);
  });

  it('unpaced: every change at once, nothing booked', () => {
    commitCost = 100;
    const view = render(<Shown />);
    set(2);
    set(3);
    expect(view.getByTestId('shown').textContent).toBe('3');
    expect(frames).toHaveLength(0);
  });
});
