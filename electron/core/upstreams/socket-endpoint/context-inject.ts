// Writes the answer back into the live session: management API context inject with X-API-Key, the 60 kB
// body limit checked before sending, and a client-side limit of 1,000 requests / 5 min (Cognigy SaaS).
import { httpFetch } from '../../net/http-fetch';
import { assertSecureUrl } from '../../net/url-policy';
import { MANAGEMENT_API_RATE_LIMIT, createRateLimiter, type RateLimiter } from '../../net/rate-limiter';
import type { SecretStore } from '../../secrets/secret-store';
import type { SyncJob, SyncSender } from '../../sync/types';
import { sendResultOf, sendResultOfError } from '../http-send-result';
import { targetOf } from '../../secrets/secret-binding';
import { upstreamSecret } from '../upstream-secret';

export const MAX_BODY_BYTES = 60 * 1024;

export interface ContextInjectPayload {
  apiUrl: string;
  sessionId: string;
  userId: string;
  context: Record<string, unknown>;
}

export function contextInjectBody(p: ContextInjectPayload): string {
  return JSON.stringify({ userId: p.userId, context: p.context });
}

/** Throws a clear error when the body is over the management API's 60 kB limit. */
export function checkBodySize(body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    throw new Error(`context inject body is ${(bytes / 1024).toFixed(1)} kB, over the management API's 60 kB limit: shorten the answer or sync fewer fields`);
  }
}

// One limiter per API host, shared by every environment of the process: Cognigy counts per client IP.
const limiters = new Map<string, RateLimiter>();
function limiterFor(origin: string): RateLimiter {
  let l = limiters.get(origin);
  if (!l) limiters.set(origin, (l = createRateLimiter(MANAGEMENT_API_RATE_LIMIT)));
  return l;
}

export function createContextInjectSender(environment: string, secrets: SecretStore): SyncSender {
  return async (job: SyncJob, { signal }) => {
    const p = job.payload as ContextInjectPayload;
    const what = `context inject for turn ${job.turnId}`;
    try {
      const base = assertSecureUrl(p.apiUrl, 'management API URL');
      const body = contextInjectBody(p);
      try {
        checkBodySize(body);
      } catch (err) {
        return { ok: false, cause: 'payload_too_large', retryable: false, message: (err as Error).message };
      }
      const key = await upstreamSecret(secrets, environment, 'api-key', targetOf(base.href));
      if (!key) {
        return { ok: false, cause: 'auth', retryable: false, message: `no API key stored for environment "${environment}": run "npm run cli -- env set-secret ${environment} api-key"` };
      }
      await limiterFor(base.origin).acquire(signal);
      const res = await httpFetch(`${base.origin}${base.pathname.replace(/\/$/, '')}/new/v2.0/sessions/${encodeURIComponent(p.sessionId)}/context/inject`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': job.id },
        body,
        signal,
      });
      return await sendResultOf(res, what);
    } catch (err) {
      return sendResultOfError(err, what);
    }
  };
}
