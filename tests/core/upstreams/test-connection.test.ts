import { afterEach, describe, expect, it } from 'vitest';
import { testConnection } from '../../../electron/core/upstreams/test-connection';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer | undefined;
afterEach(async () => {
  await peer?.sim.close();
  peer = undefined;
});

describe('testConnection', () => {
  it('gateway: token expiry and granted scopes', async () => {
    peer = await startPeer({ tokenTtlSec: 1800 });
    const r = await testConnection(peer.gatewayEnv, peer.secrets);
    expect(r.ok).toBe(true);
    expect(r.grantedScopes).toEqual(['llm:stream', 'bot:dialog:write', 'api:access']);
    expect(r.missingScopes).toEqual([]);
    expect(r.tokenExpiresAt! - Date.now()).toBeGreaterThan(1700_000);
    expect(r.lines.join('\n')).toMatch(/expires .*\(in 30 min\)/);
  });

  it('gateway: names missing scopes', async () => {
    peer = await startPeer({ grantedScopes: ['llm:stream', 'api:access'] });
    const r = await testConnection(peer.gatewayEnv, peer.secrets);
    expect(r.ok).toBe(false);
    expect(r.missingScopes).toEqual(['bot:dialog:write']);
    expect(r.lines.join('\n')).toMatch(/missing scopes: bot:dialog:write/);
  });

  it('gateway: wrong secret is an auth failure that never shows the secret', async () => {
    peer = await startPeer();
    const r = await testConnection(peer.gatewayEnv, createMemoryStore({ 'sim-gw': { 'client-secret': 'nope-nope-nope' } }));
    expect(r).toMatchObject({ ok: false, cause: 'auth' });
    expect(JSON.stringify(r)).not.toContain('nope-nope-nope');
  });

  it('socket endpoint: connects and reports endpoint-ready', async () => {
    peer = await startPeer();
    const r = await testConnection(peer.socketEnv, peer.secrets);
    expect(r).toMatchObject({ ok: true, endpointReady: true });
    expect(r.lines.join('\n')).toMatch(/API key set/);
  });
});
