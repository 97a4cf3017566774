// OAuth 2.0 client-credentials token for the gateway: cached, refreshed ≥ 60 s before expiry, one refresh
// in flight shared by every concurrent caller (they re-check the cache after waiting), and a 401 from any
// call invalidates the token and retries that call once. Never logs or puts the secret or token in errors.
import { discardBody, httpFetch } from '../../net/http-fetch';
import { abortable } from '../../util/abortable';
import { parseRetryAfter } from '../../net/retry-after';
import { UpstreamError, causeOfStatus, networkError, readErrorBody } from '../upstream-error';

export const REFRESH_MARGIN_MS = 60_000;
const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

export interface AccessToken {
  value: string;
  /** Epoch ms when the server says it expires. */
  expiresAt: number;
  scopes: string[];
  missingScopes: string[];
}

export interface OAuthClientOptions {
  /** `https://host` (or `http://127.0.0.1:port` for loopback). */
  baseUrl: string;
  clientId: string;
  clientSecret: () => Promise<string>;
  scopes: string[];
  fetchImpl?: typeof fetch;
  now?: () => number;
}

export interface OAuthClient {
  getToken(signal?: AbortSignal): Promise<AccessToken>;
  /** Drops the cached token (only if it is still `value`, so a stale 401 can't drop a fresh token). */
  invalidate(value?: string): void;
  /** fetch with `Authorization: Bearer`; on 401 invalidates and retries once with a fresh token. */
  fetchWithAuth(url: string, init?: RequestInit, signal?: AbortSignal): Promise<Response>;
}

export function createOAuthClient(opts: OAuthClientOptions): OAuthClient {
  const doFetch = opts.fetchImpl ?? httpFetch;
  const now = opts.now ?? Date.now;
  let cached: AccessToken | undefined;
  let inflight: Promise<AccessToken> | undefined;

  const fresh = (t: AccessToken | undefined): t is AccessToken => !!t && now() < t.expiresAt - REFRESH_MARGIN_MS;

  async function requestToken(): Promise<AccessToken> {
    const secret = await opts.clientSecret();
    const body = JSON.stringify({
      grant_type: 'client_credentials',
      client_id: opts.clientId,
      client_secret: secret,
      scope: opts.scopes.join(' '),
    });
    const timeout = AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS);
    let res: Response;
    try {
      res = await doFetch(`${opts.baseUrl}/api/v2/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: timeout,
      });
    } catch (err) {
      throw networkError(err, 'OAuth token request');
    }
    if (!res.ok) {
      const { error, description } = await readErrorBody(res);
      const what = [error, description].filter(Boolean).join(': ') || `HTTP ${res.status}`;
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      const cause = res.status === 400 && error === 'invalid_client' ? 'auth' : causeOfStatus(res.status);
      const hint = cause === 'auth' ? ' — check the client id and the client secret stored for this environment' : '';
      throw new UpstreamError(cause, `OAuth token request rejected (HTTP ${res.status}): ${what}${hint}`, { status: res.status, retryAfterMs });
    }
    let json: { access_token?: unknown; expires_in?: unknown; scope?: unknown; token_type?: unknown };
    try {
      json = (await res.json()) as typeof json;
    } catch {
      throw new UpstreamError('protocol', 'OAuth token response is not JSON');
    }
    if (typeof json.access_token !== 'string' || !json.access_token) throw new UpstreamError('protocol', 'OAuth token response has no access_token');
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in);
    if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw new UpstreamError('protocol', 'OAuth token response has no valid expires_in');
    // RFC 6749 §5.1: an omitted scope means the requested scope was granted.
    const scopes = typeof json.scope === 'string' ? json.scope.split(/\s+/).filter(Boolean) : [...opts.scopes];
    return {
      value: json.access_token,
      expiresAt: now() + expiresIn * 1000,
      scopes,
      missingScopes: opts.scopes.filter((s) => !scopes.includes(s)),
    };
  }

  async function getToken(signal?: AbortSignal): Promise<AccessToken> {
    for (;;) {
      if (fresh(cached)) return cached;
      if (!inflight) {
        // The shared refresh is not tied to one caller's signal: one caller giving up must not fail the
        // others. Each caller stops waiting on its own signal instead.
        inflight = requestToken().then(
          (t) => {
            cached = t;
            inflight = undefined;
            return t;
          },
          (err: unknown) => {
            inflight = undefined;
            throw err;
          },
        );
        return abortable(inflight, signal, 'waiting for an access token');
      }
      // Someone else is refreshing: wait for them, then re-check rather than refreshing again.
      await abortable(inflight, signal, 'waiting for an access token');
    }
  }

  function invalidate(value?: string): void {
    if (!cached) return;
    if (value === undefined || cached.value === value) cached = undefined;
  }

  async function fetchWithAuth(url: string, init: RequestInit = {}, signal?: AbortSignal): Promise<Response> {
    const attempt = async (token: AccessToken) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token.value}`);
      try {
        return await doFetch(url, { ...init, headers, signal: signal ?? init.signal });
      } catch (err) {
        throw networkError(err, `request to ${new URL(url).pathname}`, signal);
      }
    };
    const first = await getToken(signal);
    const res = await attempt(first);
    if (res.status !== 401) return res;
    await discardBody(res);
    invalidate(first.value);
    return attempt(await getToken(signal));
  }

  return { getToken, invalidate, fetchWithAuth };
}
