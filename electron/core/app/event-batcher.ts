// Coalesces one session's events into batches for the renderer: at most one batch per interval (≈60 per
// second), in order, nothing dropped, and flushed at once when a turn ends so the final state is never late.
// Must never reorder or drop an event, and never hold one longer than one interval.
import type { SessionEvent } from '../../../shared/events';

/** 1000/60 ms: "at most every 16 ms" and never more than 60 batches a second. */
export const BATCH_INTERVAL_MS = 1000 / 60;

export interface EventBatcher {
  push(event: SessionEvent): void;
  /** Sends what is buffered now. */
  flush(): void;
  /** Flushes, then ignores further events. */
  close(): void;
  /** Batches sent so far. */
  readonly sent: number;
}

export interface EventBatcherOptions {
  send(events: SessionEvent[], batch: number): void;
  intervalMs?: number;
  now?: () => number;
}

export function createEventBatcher(opts: EventBatcherOptions): EventBatcher {
  const interval = opts.intervalMs ?? BATCH_INTERVAL_MS;
  const now = opts.now ?? (() => performance.now());
  let buffer: SessionEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSent = -Infinity;
  let sent = 0;
  let closed = false;

  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    lastSent = now();
    opts.send(events, sent++);
  };

  // The first event after a quiet spell goes out on the next tick (events of the same tick join it); under
  // load the next batch waits for the rest of the interval. Timers may fire a fraction of a millisecond
  // early, so the wait is rounded up and re-checked: the spacing is a guarantee, not an average.
  const schedule = () => {
    const wait = lastSent + interval - now();
    timer = setTimeout(
      () => {
        timer = undefined;
        if (now() - lastSent < interval) schedule();
        else flush();
      },
      Math.max(0, Math.ceil(wait)),
    );
  };

  return {
    push(event) {
      if (closed) return;
      buffer.push(event);
      if (event.type === 'turn.end') {
        flush();
        return;
      }
      if (timer === undefined) schedule();
    },
    flush,
    close() {
      flush();
      closed = true;
    },
    get sent() {
      return sent;
    },
  };
}
