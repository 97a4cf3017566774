// Retry timing: bounded exponential backoff with full jitter (the "Full Jitter" of AWS's architecture blog:
// delay = random() × min(maxDelay, base × 2^retry)), floored by the server's Retry-After. It must never
// return less than Retry-After asked for, nor grow without bound.

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

/** The ceiling of the jitter window before retry number `retry` (0 = the wait after the first failure). */
export function backoffCeiling(retry: number, opts: Pick<BackoffOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  // 2 ** 1100 is Infinity, which min() turns into maxDelayMs: no overflow to worry about.
  return Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry));
}

/** Milliseconds to wait before the next attempt: full jitter, but at least `retryAfterMs` when the server set it. */
export function backoffDelay(retry: number, opts: BackoffOptions, retryAfterMs?: number): number {
  const r = opts.random();
  // A random() that returns 1 (or garbage) must not push the delay past the ceiling.
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1 - Number.EPSILON) : 0;
  const jitter = Math.floor(unit * backoffCeiling(retry, opts));
  return retryAfterMs !== undefined && retryAfterMs > jitter ? retryAfterMs : jitter;
}
