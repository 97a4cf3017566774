// The lanes' pacing (views/session/lane-pace.ts) with an injected clock and frame: a new value is shown at
// once unless the last commit that showed one was costly, then no sooner than twice that cost after it, and the
// newest value is shown at the booked frame even when nothing else arrives. Unpaced (no clock injected, as
// in the other renderer tests) every value is shown at once.
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { paceLanes, useCommitted, usePaced } from '../../../renderer/src/views/session/lane-pace';

let clock = 0;
/** What each commit costs on the injected clock (advanced inside the commit's layout effect). */
let commitCost = 0;
const frames: Array<() => void> = [];
const runFrame = () => act(() => frames.splice(0).forEach((f) => f()));

function Shown({ live }: { live: number }) {
  const paced = usePaced(live);
  useCommitted({
    committed() {
      clock += commitCost;
      paced.committed();
    },
  });
  return <span data-testid="shown">{paced.value}</span>;
}

afterEach(() => {
  cleanup();
  paceLanes(undefined);
  frames.length = 0;
  clock = 0;
});

describe('lane pacing', () => {
  it('cheap commits: every value at once; a costly commit: the next values wait its cost, then the newest shows', () => {
    paceLanes({ now: () => clock, later: (wake) => frames.push(wake) });
    commitCost = 2;
    const view = render(<Shown live={1} />);
    const shown = () => view.getByTestId('shown').textContent;
    clock = 10;
    view.rerender(<Shown live={2} />);
    expect(shown()).toBe('2');
    expect(frames).toHaveLength(0);
    // This commit starts at 20 and costs 30 ms (ends at 50): values before 110 wait (twice its cost: the frame's
    // paint and compositing after the commit are not measured).
    commitCost = 30;
    clock = 20;
    view.rerender(<Shown live={3} />);
    expect(shown()).toBe('3');
    commitCost = 1;
    clock = 80;
    view.rerender(<Shown live={4} />);
    clock = 90;
    view.rerender(<Shown live={5} />);
    expect(shown()).toBe('3');
    // One wake-up booked, not one per value.
    expect(frames).toHaveLength(1);
    clock = 109;
    runFrame();
    expect(shown()).toBe('3');
    expect(frames).toHaveLength(1);
    clock = 110;
    runFrame();
    expect(shown()).toBe('5');
    expect(frames).toHaveLength(0);
  });

  it('unpaced: every value at once, nothing booked', () => {
    commitCost = 100;
    const view = render(<Shown live={1} />);
    view.rerender(<Shown live={2} />);
    view.rerender(<Shown live={3} />);
    expect(view.getByTestId('shown').textContent).toBe('3');
  });
});
