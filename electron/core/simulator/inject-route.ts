// POST /new/v2.0/sessions/{sessionId}/context/inject: the management API call that writes into a live
// session's context (socket-endpoint.md), with X-API-Key (or ?api_key=), the 60 kB body limit and the
// shared-SaaS rate limit of 1,000 requests per 5 minutes per client. Merges into sim.contexts; refuses
// (404) an inject naming a session id and user the Socket Endpoint has never seen together.
// Must never echo the API key, and never apply a request it answered with an error.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { failureCode, failureHeaders } from './fail-next';
import { isPlainObject, parseJson, readBody, sendJson } from './http-util';
import { preApply, type IdempotencyStore } from './idempotency';

/** Cognigy's documented JSON body limit, "60 kB" (read as 60 KiB: the simulator refuses nothing a client at 60,000 bytes would send). */
export const INJECT_BODY_LIMIT_BYTES = 60 * 1024;

export interface RateLimiter {
  /** Undefined when allowed (and counted); otherwise seconds until the next request is allowed. */
  hit(client: string): number | undefined;
}

/** Sliding window per client: at most `max` requests within any `windowMs`. */
export function createRateLimiter(max: number, windowMs: number, now: () => number = Date.now): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    hit(client) {
      const t = now();
      const list = (hits.get(client) ?? []).filter((at) => at > t - windowMs);
      if (list.length >= max) {
        hits.set(client, list);
        return Math.max(1, Math.ceil(((list[0] as number) + windowMs - t) / 1000));
      }
      list.push(t);
      hits.set(client, list);
      return undefined;
    },
  };
}

function sameKey(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function presentedKey(req: IncomingMessage, url: URL): string | undefined {
  const h = req.headers['x-api-key'];
  const header = Array.isArray(h) ? h[0] : h;
  return header ?? url.searchParams.get('api_key') ?? undefined;
}

export async function handleInject(
  ctx: SimContext,
  limiter: RateLimiter,
  idem: IdempotencyStore,
  sessionId: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  ctx.stats.injectRequests++;
  const waitSec = limiter.hit(req.socket.remoteAddress ?? 'unknown');
  if (waitSec !== undefined) {
    const { max, windowMs } = ctx.config.managementRateLimit;
    sendJson(res, 429, { error: 'rate_limited', error_description: `rate limit of ${max} requests per ${windowMs / 1000} s exceeded` }, { 'Retry-After': String(waitSec) });
    return;
  }
  const failure = ctx.failures.take('inject');
  if (failure) {
    sendJson(res, failure.status, { error: failureCode('inject', failure.status), error_description: `simulated failure (failNext inject ${failure.status})` }, failureHeaders(failure));
    return;
  }
  const key = presentedKey(req, url);
  if (key === undefined || !sameKey(key, ctx.config.apiKey)) {
    sendJson(res, 401, { error: 'unauthorized', error_description: key === undefined ? 'missing API key: send the X-API-Key header' : 'invalid API key' });
    return;
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  const raw = await readBody(req, INJECT_BODY_LIMIT_BYTES);
  if (!raw.ok) {
    const size = Number.isFinite(declared) ? declared : raw.bytes;
    sendJson(res, 413, { error: 'payload_too_large', error_description: `body of ${size} bytes exceeds the ${INJECT_BODY_LIMIT_BYTES}-byte (60 kB) limit` });
    return;
  }
  const body = parseJson(raw.body);
  if (!isPlainObject(body)) {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'body must be a JSON object {"userId":"...","context":{...}}' });
    return;
  }
  if (typeof body.userId !== 'string' || body.userId === '') {
    sendJson(res, 400, { error: 'invalid_request', error_description: '"userId" must be a non-empty string' });
    return;
  }
  if (!isPlainObject(body.context)) {
    sendJson(res, 400, { error: 'invalid_request', error_description: '"context" must be a JSON object' });
    return;
  }
  // Cognigy keeps a session's context per user and session: an inject naming a pair no client ever used
  // writes into nobody's conversation. Refused loudly, so a client that mixes up its identities is caught.
  if (!ctx.endpointSessions.get(sessionId)?.has(body.userId)) {
    ctx.stats.injectsUnknownSession++;
    const users = ctx.endpointSessions.get(sessionId);
    sendJson(res, 404, {
      error: 'not_found',
      error_description: users
        ? `session "${sessionId}" has no user "${body.userId}" (the Socket Endpoint saw ${[...users].map((u) => `"${u}"`).join(', ')})`
        : `no Socket Endpoint session "${sessionId}" has been seen: inject into a session a client has opened`,
    });
    return;
  }
  const pre = preApply(req, res, idem, `inject:${sessionId}`, raw.body, () => ctx.owed429.sessions.delete(sessionId));
  if (pre.handled) return;
  const idemKey = pre.key;
  const merged = { ...(ctx.contexts.get(sessionId) ?? {}), ...body.context };
  ctx.contexts.set(sessionId, merged);
  ctx.stats.injectsApplied++;
  const answer = { sessionId, userId: body.userId, context: merged };
  idem.remember(`inject:${sessionId}`, idemKey, raw.body, 200, answer);
  sendJson(res, 200, answer);
}
