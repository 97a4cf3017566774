// Access tokens the simulated OAuth server has issued: random, scoped, expiring, revocable.
// Must never expose the token values anywhere but the token response itself.
import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  value: string;
  scopes: string[];
  expiresAt: number;
}

export interface TokenStore {
  issue(scopes: string[], ttlSec: number): IssuedToken;
  /** The live token, or undefined when unknown, expired or revoked. */
  verify(value: string | undefined): IssuedToken | undefined;
  revoke(value: string): void;
  revokeAll(): void;
}

export function createTokenStore(now: () => number = Date.now): TokenStore {
  const tokens = new Map<string, IssuedToken>();
  const sweep = () => {
    const t = now();
    for (const [k, v] of tokens) if (v.expiresAt <= t) tokens.delete(k);
  };
  return {
    issue(scopes, ttlSec) {
      if (tokens.size > 10_000) sweep();
      const token: IssuedToken = { value: randomBytes(24).toString('base64url'), scopes, expiresAt: now() + ttlSec * 1000 };
      tokens.set(token.value, token);
      return token;
    },
    verify(value) {
      if (!value) return undefined;
      const t = tokens.get(value);
      if (!t) return undefined;
      if (t.expiresAt <= now()) {
        tokens.delete(value);
        return undefined;
      }
      return t;
    },
    revoke(value) {
      tokens.delete(value);
    },
    revokeAll() {
      tokens.clear();
    },
  };
}

/** Scopes of `required` the token lacks, in the order given. */
export function missingScopes(token: IssuedToken, required: readonly string[]): string[] {
  return required.filter((s) => !token.scopes.includes(s));
}
