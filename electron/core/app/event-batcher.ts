// Coalesces one session's events into batches for the renderer: at most one batch per interval (≈60 per
// second), in order, nothing dropped, and flushed at once when a turn ends so the final state is never late.
// Must never reorder or drop an event, and never hold one longer than one interval.
// With `coalesceFiltered`, the filtered.text releases of one turn within a batch travel as one event: the
// filter releases per token, so at 20,000 tokens/s they are a third of the events the renderer parses,
// checks and applies, and none of their boundaries is shown (the filtered lane's token boundaries are the
// raw ones, mapped; the raw text and token events, which carry them, are never merged).
import type { FilteredTextEvent, SessionEvent } from '../../../shared/events';

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
  /**
   * Merge a turn's contiguous filtered.text events of one batch into one (text joined, hits in order,
   * the hold-back as of the last), placed where the first was. Only for a receiver that, like the
   * renderer, applies a batch as a whole: events are not counted or addressed one by one.
   */
  coalesceFiltered?: boolean;
}

/** One release standing for two consecutive ones (b right after a in the filtered text). */
function joinFiltered(a: FilteredTextEvent, b: FilteredTextEvent): FilteredTextEvent {
  return { ...b, start: a.start, text: a.text + b.text, hits: a.hits.length ? (b.hits.length ? [...a.hits, ...b.hits] : a.hits) : b.hits };
}

export function createEventBatcher(opts: EventBatcherOptions): EventBatcher {
  const interval = opts.intervalMs ?? BATCH_INTERVAL_MS;
  const now = opts.now ?? (() => performance.now());
  let buffer: SessionEvent[] = [];
  /** Per turn, the index in `buffer` of its last filtered.text (coalesceFiltered). */
  const lastFiltered = new Map<string, number>();
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
    lastFiltered.clear();
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
      if (opts.coalesceFiltered && event.type === 'filtered.text') {
        const i = lastFiltered.get(event.turnId);
        const prev = i === undefined ? undefined : buffer[i];
        // Events are shared with the engine's other listeners: a new one replaces the earlier, never a mutation.
        if (prev?.type === 'filtered.text' && prev.start + prev.text.length === event.start) {
          buffer[i!] = joinFiltered(prev, event);
          if (timer === undefined) schedule();
          return;
        }
        lastFiltered.set(event.turnId, buffer.length);
      } else if (event.type === 'turn.start' || event.type === 'turn.end') lastFiltered.delete(event.turnId);
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
