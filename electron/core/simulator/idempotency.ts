// Idempotency-Key handling for the write routes: a repeated key is applied once and answered with the
// first answer again; the same key with a different body is refused (422), as the IETF
// Idempotency-Key draft describes. Must never apply a replayed request a second time.
import { createHash } from 'node:crypto';
import { BoundedMap } from './context';

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
