// Injected failures: `sim.failNext(route, status)` makes the next request(s) to a route fail, so tests can
// drive 401/429/5xx paths of a client on purpose. Must never fire for a route it was not armed for.
import type { FailRoute } from './types';

export interface Failure {
  status: number;
  retryAfter?: string;
}

export interface FailureQueue {
  add(route: FailRoute, status: number, opts?: { retryAfter?: string; times?: number }): void;
  /** Consumes the next armed failure for `route`, if any. */
  take(route: FailRoute): Failure | undefined;
}

const ROUTES: readonly FailRoute[] = ['token', 'config', 'variables', 'inject', 'stream-handshake'];

export function createFailureQueue(): FailureQueue {
  const queues = new Map<FailRoute, Array<Failure & { times: number }>>();
  return {
    add(route, status, opts = {}) {
      if (!ROUTES.includes(route)) throw new RangeError(`failNext: unknown route "${route}" (valid: ${ROUTES.join(', ')})`);
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`failNext: status must be 400..599, got ${status}`);
      const times = opts.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new RangeError(`failNext: times must be an integer >= 1, got ${times}`);
      const q = queues.get(route) ?? [];
      q.push({ status, times, ...(opts.retryAfter !== undefined ? { retryAfter: opts.retryAfter } : {}) });
      queues.set(route, q);
    },
    take(route) {
      const q = queues.get(route);
      const head = q?.[0];
      if (!q || !head) return undefined;
      head.times--;
      if (head.times <= 0) q.shift();
      return { status: head.status, ...(head.retryAfter !== undefined ? { retryAfter: head.retryAfter } : {}) };
    },
  };
}

/** The error code a failure answers with, per route family (RFC 6749 names on the token route). */
export function failureCode(route: FailRoute, status: number): string {
  if (status === 429) return route === 'token' ? 'temporarily_unavailable' : 'rate_limited';
  if (status === 401) return route === 'token' ? 'invalid_client' : 'invalid_token';
  if (status === 403) return 'insufficient_scope';
  if (status === 404) return 'not_found';
  if (status === 400) return 'invalid_request';
  if (status >= 500) return route === 'token' ? 'temporarily_unavailable' : 'server_error';
  return 'simulated_failure';
}

export function failureHeaders(f: Failure): Record<string, string> {
  return f.retryAfter !== undefined ? { 'Retry-After': f.retryAfter } : {};
}
