// POST /api/v2/oauth/token: the OAuth 2.0 client-credentials grant as gateway.md documents it (JSON body)
// and as RFC 6749 §4.4 defines it (form body, credentials in the body or in HTTP Basic auth).
// Must never echo or log the client secret, and must compare it in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { failureCode, failureHeaders } from './fail-next';
import { isPlainObject, mediaType, parseJson, readBody, sendJson } from './http-util';

const BODY_LIMIT = 64 * 1024;
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

type Fields = Record<string, string | undefined>;

function oauthError(res: ServerResponse, status: number, error: string, description: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error, error_description: description }, { ...NO_STORE, ...headers });
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicCredentials(req: IncomingMessage): { id: string; secret: string } | 'malformed' | undefined {
  const h = req.headers.authorization;
  if (!h || !/^Basic\s/i.test(h)) return undefined;
  const decoded = Buffer.from(h.replace(/^Basic\s+/i, '').trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

async function readFields(req: IncomingMessage, res: ServerResponse): Promise<Fields | undefined> {
  const type = mediaType(req);
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    oauthError(res, 400, 'invalid_request', 'Content-Type must be application/json or application/x-www-form-urlencoded');
    return undefined;
  }
  const body = await readBody(req, BODY_LIMIT);
  if (!body.ok) {
    oauthError(res, 413, 'invalid_request', `request body too large (limit ${BODY_LIMIT} bytes)`);
    return undefined;
  }
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(body.body.toString('utf8')));
  }
  const json = parseJson(body.body);
  if (!isPlainObject(json)) {
    oauthError(res, 400, 'invalid_request', 'body must be a JSON object');
    return undefined;
  }
  const fields: Fields = {};
  for (const [k, v] of Object.entries(json)) {
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') {
      oauthError(res, 400, 'invalid_request', `"${k}" must be a string`);
      return undefined;
    }
    fields[k] = v;
  }
  return fields;
}

export async function handleToken(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.tokenRequests++;
  const failure = ctx.failures.take('token');
  if (failure) {
    const code = failureCode('token', failure.status);
    oauthError(res, failure.status, code, `simulated failure (failNext token ${failure.status})`, failureHeaders(failure));
    return;
  }
  const fields = await readFields(req, res);
  if (!fields) return;

  const basic = basicCredentials(req);
  if (basic === 'malformed') {
    oauthError(res, 400, 'invalid_request', 'malformed HTTP Basic credentials');
    return;
  }
  if (basic && (fields.client_secret !== undefined || (fields.client_id !== undefined && fields.client_id !== basic.id))) {
    oauthError(res, 400, 'invalid_request', 'use one client authentication method: HTTP Basic or client_secret in the body, not both');
    return;
  }
  if (!fields.grant_type) {
    oauthError(res, 400, 'invalid_request', 'grant_type is required');
    return;
  }
  if (fields.grant_type !== 'client_credentials') {
    oauthError(res, 400, 'unsupported_grant_type', `grant_type "${fields.grant_type}" is not supported; use client_credentials`);
    return;
  }
  const id = basic?.id ?? fields.client_id;
  const secret = basic?.secret ?? fields.client_secret;
  if (id === undefined || secret === undefined) {
    oauthError(res, 401, 'invalid_client', 'client authentication missing: send client_id and client_secret, or HTTP Basic auth', {
      'WWW-Authenticate': 'Basic realm="simulator"',
    });
    return;
  }
  // Both compared every time, so timing does not tell which of the two was wrong.
  const idOk = sameSecret(id, ctx.config.clientId);
  const secretOk = sameSecret(secret, ctx.config.clientSecret);
  if (!idOk || !secretOk) {
    oauthError(res, 401, 'invalid_client', 'client authentication failed: unknown client_id or wrong client_secret', basic ? { 'WWW-Authenticate': 'Basic realm="simulator"' } : {});
    return;
  }
  const requested = fields.scope === undefined ? undefined : fields.scope.split(/\s+/).filter(Boolean);
  const granted = requested === undefined ? [...ctx.config.grantedScopes] : [...new Set(requested)].filter((s) => ctx.config.grantedScopes.includes(s));
  const token = ctx.tokens.issue(granted, ctx.config.tokenTtlSec);
  sendJson(res, 200, { access_token: token.value, expires_in: ctx.config.tokenTtlSec, token_type: 'Bearer', scope: granted.join(' ') }, NO_STORE);
}
