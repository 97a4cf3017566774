// OAuth token endpoint of the simulator over real loopback HTTP: JSON grant, RFC 6749 form grant with the
// credentials in the body or in HTTP Basic, scopes, errors, counting, revocation and expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../electron/core/simulator/index';
import { CREDS, startSim } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const tokenUrl = () => `${sim.url}/api/v2/oauth/token`;

async function form(body: Record<string, string>, headers: Record<string, string> = {}) {
  const r = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body).toString() });
  return { status: r.status, headers: r.headers, text: await r.text() };
}
async function json(body: unknown) {
  const r = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, headers: r.headers, text: await r.text() };
}
/** RFC 6749 §2.3.1: form-urlencode id and secret, join with ':', base64. */
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id).replace(/%20/g, '+')}:${encodeURIComponent(secret).replace(/%20/g, '+')}`).toString('base64')}`;

describe('token endpoint', () => {
  it('grants a Bearer token for the JSON grant, with the requested scopes', async () => {
    const r = await json({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret, scope: 'llm:stream bot:dialog:write api:access' });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const body = JSON.parse(r.text);
    expect(body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer', scope: 'llm:stream bot:dialog:write api:access' });
    expect(body.access_token.length).toBeGreaterThanOrEqual(32);
  });

  it('accepts the RFC 6749 form grant with credentials in the body', async () => {
    const r = await form({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret, scope: 'llm:stream' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).scope).toBe('llm:stream');
  });

  it('accepts HTTP Basic client authentication (form-encoded id and secret)', async () => {
    const r = await form({ grant_type: 'client_credentials', scope: 'api:access' }, { authorization: basic(CREDS.clientId, CREDS.clientSecret) });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ token_type: 'Bearer', scope: 'api:access' });
  });

  it('refuses a wrong secret with 401 invalid_client, without echoing it', async () => {
    for (const r of [
      await json({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: 'wrong-secret' }),
      await form({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: 'wrong-secret' }),
    ]) {
      expect(r.status).toBe(401);
      const body = JSON.parse(r.text);
      expect(body.error).toBe('invalid_client');
      expect(body.error_description).toMatch(/client/);
      expect(r.text).not.toContain('wrong-secret');
      expect(r.text).not.toContain(CREDS.clientSecret);
    }
    const b = await form({ grant_type: 'client_credentials' }, { authorization: basic(CREDS.clientId, 'wrong-secret') });
    expect(b.status).toBe(401);
    expect(b.headers.get('www-authenticate')).toMatch(/^Basic/);
    const unknownId = await json({ grant_type: 'client_credentials', client_id: 'someone-else', client_secret: CREDS.clientSecret });
    expect(unknownId.status).toBe(401);
    expect(JSON.parse(unknownId.text).error).toBe('invalid_client');
  });

  it('answers 401 when no client authentication is sent at all', async () => {
    const r = await json({ grant_type: 'client_credentials' });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).error).toBe('invalid_client');
  });

  it('refuses other grant types with 400 unsupported_grant_type, and a missing one with invalid_request', async () => {
    const r = await json({ grant_type: 'password', client_id: CREDS.clientId, client_secret: CREDS.clientSecret });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ error: 'unsupported_grant_type', error_description: expect.stringContaining('password') });
    const missing = await json({ client_id: CREDS.clientId, client_secret: CREDS.clientSecret });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).error).toBe('invalid_request');
  });

  it('refuses two authentication methods at once, bad JSON and other content types', async () => {
    const both = await form({ grant_type: 'client_credentials', client_secret: CREDS.clientSecret }, { authorization: basic(CREDS.clientId, CREDS.clientSecret) });
    expect(both.status).toBe(400);
    expect(JSON.parse(both.text).error).toBe('invalid_request');
    const bad = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
    expect(bad.status).toBe(400);
    const text = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(text.status).toBe(400);
    expect(((await text.json()) as { error_description: string }).error_description).toMatch(/Content-Type/);
  });

  it('grants requested ∩ allowed scopes, and all allowed scopes when none are requested', async () => {
    const narrow = await startSim({ grantedScopes: ['llm:stream', 'api:access'] });
    try {
      const post = (scope?: string) =>
        fetch(`${narrow.url}/api/v2/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret, ...(scope !== undefined ? { scope } : {}) }),
        }).then((r) => r.json() as Promise<{ scope: string }>);
      expect((await post('llm:stream bot:dialog:write api:access')).scope).toBe('llm:stream api:access');
      expect((await post('bot:dialog:write')).scope).toBe('');
      expect((await post()).scope).toBe('llm:stream api:access');
    } finally {
      await narrow.close();
    }
  });

  it('issues a different random token every time', async () => {
    const a = JSON.parse((await json({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret })).text).access_token;
    const b = JSON.parse((await json({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret })).text).access_token;
    expect(a).not.toBe(b);
  });

  it('counts every token request, failed ones too', async () => {
    const own = await startSim();
    try {
      const url = `${own.url}/api/v2/oauth/token`;
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret }) });
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: 'nope' }) });
      await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
      expect(own.stats.tokenRequests).toBe(3);
    } finally {
      await own.close();
    }
  });

  it('failNext("token") answers the injected status with Retry-After, once', async () => {
    sim.failNext('token', 503, { retryAfter: '2' });
    const r = await json({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(JSON.parse(r.text).error).toEqual(expect.any(String));
    const ok = await json({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret });
    expect(ok.status).toBe(200);
  });

  it('revokeAllTokens() invalidates every token issued so far; new ones work', async () => {
    const own = await startSim();
    try {
      const get = async () =>
        ((await (
          await fetch(`${own.url}/api/v2/oauth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret }),
          })
        ).json()) as { access_token: string }).access_token;
      const put = (t: string) => fetch(`${own.url}/api/v2/llm/gateway/config`, { method: 'PUT', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: '{}' });
      const old = await get();
      expect((await put(old)).status).toBe(200);
      own.revokeAllTokens();
      expect((await put(old)).status).toBe(401);
      expect((await put(await get())).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('expires tokens after tokenTtlSec (on the simulator\'s clock, moved by the test)', async () => {
    let clock = 1_000_000;
    const own = await startSim({ tokenTtlSec: 1, now: () => clock });
    try {
      const res = await fetch(`${own.url}/api/v2/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret }),
      });
      const body = (await res.json()) as { access_token: string; expires_in: number };
      expect(body.expires_in).toBe(1);
      const put = (auth: string) => fetch(`${own.url}/api/v2/llm/gateway/config`, { method: 'PUT', headers: { authorization: `Bearer ${auth}` }, body: '{}' });
      clock += 999;
      expect((await put(body.access_token)).status).toBe(200); // still valid 1 ms before it expires
      clock += 1;
      expect((await put(body.access_token)).status).toBe(401);
    } finally {
      await own.close();
    }
  });

  it('answers 405 for other methods and 404 for unknown paths', async () => {
    const get = await fetch(tokenUrl());
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${sim.url}/api/v2/nothing`)).status).toBe(404);
  });
});
