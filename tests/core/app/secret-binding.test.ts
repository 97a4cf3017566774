// Issue 11 §5: a stored secret is bound to where it was entered. Over the app service (what the renderer,
// and so a compromised renderer, can call): duplicate an environment, point the copy at another host, test
// the connection — the secret must never reach that host. A second loopback listener plays "the other host".
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvironmentStore } from '../../../electron/core/environments/environment-store';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';
import { targetOf, withBindings } from '../../../electron/core/secrets/secret-binding';
import { createContextInjectSender } from '../../../electron/core/upstreams/socket-endpoint/context-inject';
import { seeEndpointSession, startPeer, type TestPeer } from '../../helpers/simulator';
import { harness, type Harness } from './helpers';

let peer: TestPeer;
let other: Server;
let otherPort = 0;
const seenByOther: string[] = [];

beforeAll(async () => {
  peer = await startPeer();
  other = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      seenByOther.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'x', expires_in: 3600, token_type: 'bearer', scope: 'llm:stream' }));
    });
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherPort = (other.address() as AddressInfo).port;
});
afterAll(async () => {
  await peer.sim.close();
  await new Promise((r) => other.close(r));
});

describe('secrets are bound to the host they were entered for', () => {
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('duplicate, change the copy’s host, test connection: nothing with the secret reaches the other host', async () => {
    const env = { name: 'prod', kind: 'gateway', gateway: { host: `127.0.0.1:${peer.sim.port}`, clientId: peer.creds.clientId } };
    expect((await h.call('renderer:env.save', { environment: env })).ok).toBe(true);
    expect((await h.call('renderer:env.setSecret', { name: 'prod', kind: 'client-secret', value: peer.creds.clientSecret })).ok).toBe(true);
    const original = await h.call('renderer:env.test', { name: 'prod' });
    expect(original.response.ok).toBe(true);

    expect((await h.call('renderer:env.duplicate', { name: 'prod', newName: 'copy' })).ok).toBe(true);
    const moved = await h.call('renderer:env.save', { environment: { ...env, name: 'copy', gateway: { ...env.gateway, host: `127.0.0.1:${otherPort}` } }, previousName: 'copy' });
    expect(moved.ok).toBe(true);
    // Moving the copy detached its secret: the user sees it as not set and enters it again.
    expect(moved.response.entry.secrets['client-secret']).toBe('not set');

    const r = await h.call('renderer:env.test', { name: 'copy' });
    expect(r.ok).toBe(true);
    expect(r.response.ok).toBe(false);
    expect(seenByOther.filter((s) => s.includes(peer.creds.clientSecret))).toEqual([]);
    expect(seenByOther).toEqual([]);

    // The original is untouched.
    expect((await h.call('renderer:env.test', { name: 'prod' })).response.ok).toBe(true);
  });

  it('a secret whose binding no longer matches is refused at the point of sending (file edited behind the app)', async () => {
    const env = { name: 'edited', kind: 'gateway', gateway: { host: `127.0.0.1:${peer.sim.port}`, clientId: peer.creds.clientId } };
    expect((await h.call('renderer:env.save', { environment: env })).ok).toBe(true);
    expect((await h.call('renderer:env.setSecret', { name: 'edited', kind: 'client-secret', value: peer.creds.clientSecret })).ok).toBe(true);
    // Another tool rewrites the environment without going through the app (no detach step ran).
    await createEnvironmentStore(h.dir).save({ ...env, gateway: { ...env.gateway, host: `127.0.0.1:${otherPort}` } } as never);
    const r = await h.call('renderer:env.test', { name: 'edited' });
    expect(r.response.ok).toBe(false);
    expect(r.response.error).toMatch(/was stored for http:\/\/127\.0\.0\.1:\d+.*not sent to http:\/\/127\.0\.0\.1:\d+/);
    expect(seenByOther).toEqual([]);
  });
});

describe('the API key is bound to the management API URL', () => {
  it('a context inject to another API URL is refused before anything is sent; the bound one goes through', async () => {
    const secrets = withBindings(createMemoryStore({ sock: { 'api-key': peer.creds.apiKey } }), mkdtempSync(join(tmpdir(), 'bindings-')));
    await secrets.bindings!.set('sock', 'api-key', targetOf(peer.sim.url));
    const send = createContextInjectSender('sock', secrets);
    const job = (apiUrl: string) => ({ id: `job-${apiUrl.length}`, target: 'context-inject' as const, environment: 'sock', turnId: 't', createdAt: new Date().toISOString(), attempts: 0, payload: { apiUrl, sessionId: 's1', userId: 'u1', context: { llm_response: 'hi' } } });
    const refused = await send(job(`http://127.0.0.1:${otherPort}`), { signal: AbortSignal.timeout(10_000), attempt: 1 });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/api-key .* was stored for .* is not sent to http:\/\/127\.0\.0\.1:\d+/);
    expect(seenByOther.filter((l) => l.includes(peer.creds.apiKey))).toEqual([]);
    expect(seenByOther).toEqual([]);
    await seeEndpointSession(peer.sim, peer.creds.urlToken, 's1', 'u1');
    const ok = await send(job(peer.sim.url), { signal: AbortSignal.timeout(10_000), attempt: 1 });
    expect(ok.ok).toBe(true);
  });
});
