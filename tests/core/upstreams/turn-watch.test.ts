// The turn watch on its own, on a virtual clock: the liveness timer re-armed by every frame, the timeout and
// the cancellation, and that whatever comes first settles the turn exactly once (with onStop called once).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTurnWatch } from '../../../electron/core/upstreams/turn-watch';
import { UpstreamError } from '../../../electron/core/upstreams/upstream-error';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function watch(idleMs = 1_000) {
  const ac = new AbortController();
  const stops: string[] = [];
  const w = createTurnWatch({ signal: ac.signal, idleMs, silence: 'no frame from the test', onStop: (why) => stops.push(why) });
  const outcome: { value?: 'resolved' | UpstreamError } = {};
  w.promise.then(
    () => (outcome.value = 'resolved'),
    (e: UpstreamError) => (outcome.value = e),
  );
  return { w, ac, stops, outcome };
}
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('turn watch', () => {
  it('times out idleMs after the last arm, not after the first: every frame buys a full interval', async () => {
    const { w, stops, outcome } = watch(1_000);
    w.arm();
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(900);
      w.arm(); // a frame
    }
    expect(outcome.value).toBeUndefined();
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome.value).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.value).toBeInstanceOf(UpstreamError);
    expect((outcome.value as UpstreamError).kind).toBe('timeout');
    expect((outcome.value as UpstreamError).message).toBe('no frame from the test for 1 s');
    expect(stops).toEqual(['timeout']);
    expect(w.settled).toBe(true);
  });

  it('never times out before the first arm (the caller decides when liveness starts)', async () => {
    const { outcome, stops } = watch(1_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(outcome.value).toBeUndefined();
    expect(stops).toEqual([]);
  });

  it('cancels at once when the signal aborts, settles first, and a later timeout or finish changes nothing', async () => {
    const { w, ac, stops, outcome } = watch(1_000);
    w.arm();
    // onStop may close the transport, whose close handler calls finish() synchronously: already settled.
    ac.abort();
    expect(w.settled).toBe(true);
    w.finish(new UpstreamError('network', 'closed after cancel'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect((outcome.value as UpstreamError).kind).toBe('cancelled');
    expect(stops).toEqual(['cancelled']);
  });

  it('finish() without an error resolves, clears the timer and ignores a later abort', async () => {
    const { w, ac, stops, outcome } = watch(1_000);
    w.arm();
    w.finish();
    await settle();
    expect(outcome.value).toBe('resolved');
    ac.abort();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(outcome.value).toBe('resolved');
    expect(stops).toEqual([]);
  });

  it('the first error wins: finish(err) after a timeout keeps the timeout', async () => {
    const { w, stops, outcome } = watch(500);
    w.arm();
    await vi.advanceTimersByTimeAsync(500);
    w.finish(new UpstreamError('network', 'late close'));
    await settle();
    expect((outcome.value as UpstreamError).kind).toBe('timeout');
    expect(stops).toEqual(['timeout']);
  });

});
