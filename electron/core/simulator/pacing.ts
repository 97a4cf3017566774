// Turns the plan's delays (milliseconds at speed 1) into real waiting, scaled by 1/speed. Speed 0 means no
// timers at all, but the stream still yields to the event loop every few frames so a huge answer never
// blocks other sockets. Must never decide *what* is sent, only *when*.

/** At speed 0, yield to the event loop after this many frames. */
export const YIELD_EVERY_FRAMES = 32;

export interface Pacer {
  /** Waits the scaled delay (or yields now and then at speed 0). Resolves false when aborted. */
  wait(delayMs: number, signal: AbortSignal): Promise<boolean>;
}

export function validateSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed < 0) {
    throw new RangeError(`speed must be a finite number >= 0 (0 = as fast as possible), got ${speed}`);
  }
  return speed;
}

/** Below this many ms of accumulated delay, send now instead of setting a timer (timers have ~1 ms granularity). */
const MIN_TIMER_MS = 2;

export function createPacer(speed: number): Pacer {
  validateSpeed(speed);
  let frames = 0;
  // Delays accumulate into a schedule (`due`), and the pacer only sleeps when it is ahead of it: at high
  // speeds many sub-millisecond gaps add up to the right average rate instead of one timer tick each.
  let due = performance.now();
  return {
    wait(delayMs, signal) {
      if (signal.aborted) return Promise.resolve(false);
      if (speed === 0) {
        frames++;
        if (frames % YIELD_EVERY_FRAMES !== 0) return Promise.resolve(true);
        return new Promise((resolve) => setImmediate(() => resolve(!signal.aborted)));
      }
      const now = performance.now();
      due = Math.max(due, now - 50) + delayMs / speed; // never "catch up" more than 50 ms after a stall
      const ms = due - now;
      if (ms < MIN_TIMER_MS) {
        frames++;
        if (frames % YIELD_EVERY_FRAMES !== 0) return Promise.resolve(true);
        return new Promise((resolve) => setImmediate(() => resolve(!signal.aborted)));
      }
      return new Promise((resolve) => {
        const onAbort = () => {
          clearTimeout(timer);
          resolve(false);
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve(!signal.aborted);
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
