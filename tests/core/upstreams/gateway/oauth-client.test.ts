import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthClient, REFRESH_MARGIN_MS } from '../../../../electron/core/upstreams/gateway/oauth-client';
import { putGatewayConfig } from '../../../../electron/core/upstreams/gateway/gateway-config';
import { createGatewayUpstream } from '../../../../electron/core/upstreams/gateway/gateway-upstream';
import { UpstreamError } from '../../../../electron/core/upstreams/upstream-error';
import { GatewayEnvironment } from '../../../../shared/environment';
import { failure } from '../../../helpers/failure';
import { startPeer, type TestPeer } from '../../../helpers/simulator';

const SCOPES = ['llm:stream', 'bot:dialog:write', 'api:access'];

describe('OAuth client against the simulator', () => {
  let peer: TestPeer;
  beforeEach(async () => {
    peer = await startPeer({ tokenTtlSec: 3600 });
  });
  afterEach(async () => {
    await peer.sim.close();
  });

  const client = (now: () => number, secret = peer.creds.clientSecret) =>
    createOAuthClient({ baseUrl: peer.sim.url, clientId: peer.creds.clientId, clientSecret: async () => secret, scopes: SCOPES, now });

  it('caches the token and shares one refresh among 50 concurrent callers on a stale token', async () => {
    let clock = 1_000_000;
    const oauth = client(() => clock);
    const first = await oauth.getToken();
    expect(peer.sim.stats.tokenRequests).toBe(1);
    await oauth.getToken();
    expect(peer.sim.stats.tokenRequests).toBe(1);

    clock += 3600_000 - REFRESH_MARGIN_MS + 1; // inside the 60 s margin: stale
    const tokens = await Promise.all(Array.from({ length: 50 }, () => oauth.getToken()));
    expect(peer.sim.stats.tokenRequests).toBe(2);
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
    expect(tokens[0]!.value).not.toBe(first.value);
  });

  it('refreshes no earlier than 60 s before expiry, and not later', async () => {
    let clock = 5_000_000;
    const oauth = client(() => clock);
    await oauth.getToken();
    clock += 3600_000 - REFRESH_MARGIN_MS - 1_000; // 61 s left: still fresh
    await oauth.getToken();
    expect(peer.sim.stats.tokenRequests).toBe(1);
    clock += 2_000; // 59 s left: refresh
    await oauth.getToken();
    expect(peer.sim.stats.tokenRequests).toBe(2);
  });

  it('a 401 mid-session invalidates the token, refreshes once and retries the call once', async () => {
    const oauth = client(Date.now);
    await putGatewayConfig(oauth, peer.sim.url, { model: 'gpt-4o', temperature: 0.5, maxTokens: 100, dialogId: 'd' });
    expect(peer.sim.stats.tokenRequests).toBe(1);
    peer.sim.revokeAllTokens();
    await putGatewayConfig(oauth, peer.sim.url, { model: 'gpt-4o', temperature: 0.5, maxTokens: 100, dialogId: 'd' });
    expect(peer.sim.stats.tokenRequests).toBe(2);
    expect(peer.sim.stats.configPuts).toBe(3); // ok, 401, retried ok
  });

  it('a failed refresh reaches every waiting caller, and the next call tries again', async () => {
    const oauth = client(Date.now, 'wrong-secret');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => oauth.getToken()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(peer.sim.stats.tokenRequests).toBe(1);
    await expect(oauth.getToken()).rejects.toThrow(UpstreamError);
    expect(peer.sim.stats.tokenRequests).toBe(2);
  });

  it('wrong credentials: typed auth error with a hint, and the secret is not in the message', async () => {
    const oauth = client(Date.now, 'wrong-secret-value-123');
    const err = await failure(oauth.getToken());
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/invalid_client/);
    expect(err.message).toMatch(/client secret/);
    expect(err.message).not.toContain('wrong-secret-value-123');
  });

  it('names missing scopes when the server grants fewer', async () => {
    await peer.sim.close();
    peer = await startPeer({ grantedScopes: ['llm:stream'] });
    const oauth = client(Date.now);
    const t = await oauth.getToken();
    expect(t.scopes).toEqual(['llm:stream']);
    expect(t.missingScopes).toEqual(['bot:dialog:write', 'api:access']);
    const err = await failure(putGatewayConfig(oauth, peer.sim.url, { model: 'm', temperature: 1, maxTokens: 5, dialogId: 'd' }));
    expect(err.kind).toBe('forbidden');
    expect(err.message).toMatch(/missing scope api:access/);
  });

  it('validates the config before sending anything', async () => {
    const oauth = client(Date.now);
    for (const bad of [{ temperature: 2.5, maxTokens: 10 }, { temperature: -0.1, maxTokens: 10 }, { temperature: 1, maxTokens: 0 }]) {
      const err = await failure(putGatewayConfig(oauth, peer.sim.url, { model: 'm', dialogId: 'd', ...bad }));
      expect(err.kind).toBe('bad_request');
      expect(err.message).toMatch(/^.*\b(temperature|max tokens) must be\b/i); // names the field, in the form's words
    }
    expect(peer.sim.stats.configPuts).toBe(0);
    expect(peer.sim.stats.tokenRequests).toBe(0);
  });

  it('a dead host is a typed network error, not a crash', async () => {
    const port = peer.sim.port;
    await peer.sim.close();
    const oauth = createOAuthClient({ baseUrl: `http://127.0.0.1:${port}`, clientId: 'x', clientSecret: async () => 's', scopes: SCOPES });
    const err = await failure(oauth.getToken());
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/ECONNREFUSED/);
    peer = await startPeer();
  });

  it('uses https for any host that is not loopback', () => {
    const env = GatewayEnvironment.parse({ name: 'prod', kind: 'gateway', gateway: { host: 'acme.cognigy.ai', clientId: 'c' } });
    expect(createGatewayUpstream(env, peer.secrets).baseUrl).toBe('https://acme.cognigy.ai');
    const local = GatewayEnvironment.parse({ name: 'l', kind: 'gateway', gateway: { host: 'localhost:9', clientId: 'c' } });
    expect(createGatewayUpstream(local, peer.secrets).baseUrl).toBe('http://localhost:9');
  });
});
