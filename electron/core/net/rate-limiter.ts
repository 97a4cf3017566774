// A client-side sliding-window rate limiter, for the Cognigy management API's "1,000 requests per 5 minutes
// per IP" (socket-endpoint.md): at most `limit` acquisitions in any window of `windowMs`. Callers wait in
// FIFO order so a burst cannot starve an earlier caller. It never sleeps past an abort, and it only counts
// requests of this process (the server's limit is per IP, so a second process needs its own margin).

export const MANAGEMENT_API_RATE_LIMIT = { limit: 1000, windowMs: 5 * 60 * 1000 } as const;

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  /** Clock in ms (monotonic is best); injectable for tests. */
  now?: () => number;
}

export interface RateLimiter {
  /** Resolves when a request may go out (and counts it); rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Counts and returns true if a request may go out right now without waiting; never waits. */
  tryAcquire(): boolean;
  /** Requests that could go out right now. */
  available(): number;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = opts;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`rate limiter: limit must be an integer ≥ 1, got ${limit}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`rate limiter: windowMs must be > 0, got ${windowMs}`);
  const now = opts.now ?? (() => performance.now());

  // Times of the acquisitions still inside the window, oldest first; at most `limit` entries.
  const stamps: number[] = [];
  const waiters: Waiter[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const expire = (t: number): void => {
    let drop = 0;
    while (drop < stamps.length && stamps[drop]! <= t - windowMs) drop++;
    if (drop > 0) stamps.splice(0, drop);
  };

  const take = (): boolean => {
    const t = now();
    expire(t);
    if (stamps.length >= limit) return false;
    stamps.push(t);
    return true;
  };

  const settle = (w: Waiter): void => {
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
  };

  // Hands free slots to waiters in order; when some still wait, sleeps until the oldest stamp leaves the window.
  const drain = (): void => {
    timer = undefined;
    while (waiters.length > 0 && take()) {
      const w = waiters.shift()!;
      settle(w);
      w.resolve();
    }
    if (waiters.length > 0 && timer === undefined) {
      const wait = Math.max(1, stamps[0]! + windowMs - now());
      timer = setTimeout(drain, wait);
    }
  };

  return {
    tryAcquire() {
      // Queued callers come first: jumping the queue would starve them.
      return waiters.length === 0 && take();
    },
    available() {
      expire(now());
      return waiters.length > 0 ? 0 : limit - stamps.length;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (waiters.length === 0 && take()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w: Waiter = { resolve, reject, signal, onAbort: undefined };
        if (signal) {
          w.onAbort = () => {
            const i = waiters.indexOf(w);
            if (i >= 0) waiters.splice(i, 1);
            if (waiters.length === 0 && timer !== undefined) {
              clearTimeout(timer);
              timer = undefined;
            }
            reject(signal.reason);
          };
          signal.addEventListener('abort', w.onAbort, { once: true });
        }
        waiters.push(w);
        if (timer === undefined) drain();
      });
    },
  };
}
