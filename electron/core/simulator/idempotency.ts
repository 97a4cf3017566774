// Idempotency-Key handling for the write routes: a repeated key is applied once and answered with the
// first answer again; the same key with a different body is refused (422), as the IETF
// Idempotency-Key draft describes. Must never apply a replayed request a second time.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BoundedMap } from './context';
import { sendJson } from './http-util';

const MAX_KEYS = 50_000;

export interface Remembered {
  bodyHash: string;
  status: number;
  body: unknown;
}

export type IdempotencyCheck = { kind: 'new' } | { kind: 'replay'; answer: Remembered } | { kind: 'conflict' };

export interface IdempotencyStore {
  check(scope: string, key: string | undefined, body: Buffer): IdempotencyCheck;
  remember(scope: string, key: string | undefined, body: Buffer, status: number, answer: unknown): void;
}

const hash = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export function createIdempotencyStore(): IdempotencyStore {
  const seen = new BoundedMap<string, Remembered>(MAX_KEYS);
  const id = (scope: string, key: string) => `${scope}\u0000${key}`;
  return {
    check(scope, key, body) {
      if (!key) return { kind: 'new' };
      const r = seen.get(id(scope, key));
      if (!r) return { kind: 'new' };
      return r.bodyHash === hash(body) ? { kind: 'replay', answer: r } : { kind: 'conflict' };
    },
    remember(scope, key, body, status, answer) {
      if (key) seen.set(id(scope, key), { bodyHash: hash(body), status, body: answer });
    },
  };
}

/** The Idempotency-Key header, trimmed; undefined when absent or empty. */
export function idempotencyKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const v = headers['idempotency-key'];
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() || undefined;
}

/**
 * The part every write route shares before applying a request: a replayed key gets its first answer again,
 * a reused key with another body gets 422, and a 429 owed by the `rate-limit` scenario is paid. Returns the
 * key when the request should be applied, or `handled` when an answer was already sent.
 */
export function preApply(
  req: IncomingMessage,
  res: ServerResponse,
  idem: IdempotencyStore,
  scope: string,
  body: Buffer,
  owes429: () => boolean,
): { handled: true } | { handled: false; key: string | undefined } {
  const key = idempotencyKey(req.headers);
  const seen = idem.check(scope, key, body);
  if (seen.kind === 'replay') {
    sendJson(res, seen.answer.status, seen.answer.body, { 'Idempotent-Replayed': 'true' });
    return { handled: true };
  }
  if (seen.kind === 'conflict') {
    sendJson(res, 422, { error: 'idempotency_key_reused', error_description: 'this Idempotency-Key was already used with a different body' });
    return { handled: true };
  }
  if (owes429()) {
    sendJson(res, 429, { error: 'rate_limited', error_description: 'rate limit exceeded (scenario rate-limit)' }, { 'Retry-After': '1' });
    return { handled: true };
  }
  return { handled: false, key };
}
