// The lanes' pacing (views/session/lane-pace.ts) with an injected clock and timer: a store change is never
// shown by the store's own update (in the app, its frame callback) but by a render a timer wakes, in a task of
// its own: at once when the last commit was cheap, else no sooner than twice its cost after it; the newest
// value is shown then even when nothing else arrives. Unpaced (no clock injected, as in the other renderer
// tests) every change is shown at once.
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { paceLanes, useCommitted, usePaced } from '../../../renderer/src/views/session/lane-pace';

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
const set = (v: number) =>
  act(() => {
    value = v;
    for (const f of listeners) f();
  });
let renders = 0;

function Shown({ other = 0 }: { other?: number }) {
  renders++;
  const paced = usePaced(subscribe, get);
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
  it('a change waits for the woken render: at once after a cheap commit, twice a costly one\'s cost after it', () => {
    paceLanes({ now: () => clock, later });
    commitCost = 2;
    const view = render(<Shown />);
    const shown = () => view.getByTestId('shown').textContent;
    clock = 10;
    const before = renders;
    set(2);
    // The store's update renders nothing: a wake-up at once, and the render it wakes shows the value.
    expect(renders).toBe(before);
    expect(shown()).toBe('1');
    expect(delays).toEqual([0]);
    runFrame();
    expect(shown()).toBe('2');
    expect(renders).toBe(before + 1);
    // That commit was cheap. The one showing 3 starts at 20 and costs 30 ms (ends at 50): changes before 110
    // wait (twice its cost: the frame's paint and compositing after the commit are not measured).
    clock = 20;
    set(3);
    expect(delays).toEqual([0, 0]);
    commitCost = 30;
    runFrame();
    expect(shown()).toBe('3');
    commitCost = 1;
    clock = 80;
    set(4);
    clock = 90;
    set(5);
    expect(shown()).toBe('3');
    // One wake-up booked, not one per change, for when the cost has passed.
    expect(frames).toHaveLength(1);
    expect(delays.at(-1)).toBe(30);
    // Woken early (a timer may fire a little early): it books again for the rest.
    clock = 109;
    runFrame();
    expect(shown()).toBe('3');
    expect(frames).toHaveLength(1);
    expect(delays.at(-1)).toBe(1);
    // A render no timer woke (a prop of its own changed) takes nothing in, even once the cost has passed.
    clock = 111;
    view.rerender(<Shown other={1} />);
    expect(shown()).toBe('3');
    runFrame();
    expect(shown()).toBe('5');
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
