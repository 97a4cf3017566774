// Bearer-token checks shared by the gateway's HTTP routes and the stream handshake: 401 for a missing,
// unknown, expired or revoked token (RFC 6750 invalid_token), 403 naming every missing scope.
// Must never put the presented token into an answer.
import type { IncomingMessage } from 'node:http';
import type { SimContext } from './context';
import { bearerToken } from './http-util';
import { missingScopes, type IssuedToken } from './token-store';

export type AuthResult =
  | { ok: true; token: IssuedToken }
  | { ok: false; status: 401 | 403; body: { error: string; error_description: string }; headers: Record<string, string> };

export function authorize(ctx: SimContext, req: IncomingMessage, required: readonly string[]): AuthResult {
  const presented = bearerToken(req);
  const token = ctx.tokens.verify(presented);
  if (!token) {
    const description = presented
      ? 'access token is unknown, expired or revoked'
      : 'missing "Authorization: Bearer <access token>" header';
    return {
      ok: false,
      status: 401,
      body: { error: 'invalid_token', error_description: description },
      headers: { 'WWW-Authenticate': `Bearer realm="simulator", error="invalid_token"` },
    };
  }
  const missing = missingScopes(token, required);
  if (missing.length) {
    const description = `missing scope ${missing.join(' ')}`;
    return {
      ok: false,
      status: 403,
      body: { error: 'insufficient_scope', error_description: description },
      headers: { 'WWW-Authenticate': `Bearer realm="simulator", error="insufficient_scope", scope="${required.join(' ')}"` },
    };
  }
  return { ok: true, token };
}
