// The one client of the IPC contract, over an in-memory transport into the real app service (and, for the
// replies a correct service never sends, over a transport that answers what the test says).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toIpcError, type InvokeChannel, type PushChannel } from '../../shared/ipc';
import { createIpcClient, type IpcTransport } from '../../shared/ipc-client';
import { createAppService, type AppService } from '../../electron/core/app/app-service';
import { createDefaultDeps, type DefaultDeps } from '../../electron/core/app/default-deps';
import { createSenderPolicy } from '../../electron/core/app/sender-policy';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';
import { connectInMemory } from '../helpers/in-memory-transport';

const PAGE = 'http://127.0.0.1:4000/';
let dir: string;
let deps: DefaultDeps;
let service: AppService;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipc-client-'));
  deps = createDefaultDeps({ mode: 'browser', dataDir: dir, secrets: createMemoryStore(), demoSpeed: 0 });
  service = createAppService(deps, { isTrustedSender: createSenderPolicy({ origins: [PAGE] }) });
});
afterAll(async () => {
  await service.close();
  await deps.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const rejection = async (p: Promise<unknown>) => toIpcError(await p.then(() => new Error('resolved'), (e: unknown) => e));

/** A transport that answers every request with `reply` and counts what reached it. */
function scripted(reply: unknown) {
  const sent: Array<{ channel: InvokeChannel; request: unknown }> = [];
  const subscribers = new Map<PushChannel, (p: unknown) => void>();
  const transport: IpcTransport = {
    request: (channel, request) => (sent.push({ channel, request }), Promise.resolve(reply)),
    subscribe: (channel, deliver) => (subscribers.set(channel, deliver), () => subscribers.delete(channel)),
  };
  return { transport, sent, subscribers };
}

describe('the shared IPC client', () => {
  it('carries a request to the real service and returns its checked reply', async () => {
    const conn = connectInMemory(service, PAGE);
    const info = await conn.api.invoke('renderer:app.info', {});
    expect(info).toMatchObject({ mode: 'browser', dataDir: dir });
    const { environments } = await conn.api.invoke('renderer:env.list', {});
    expect(environments.map((e) => e.environment.name)).toContain('demo');
    await conn.close();
  });

  it('refuses a bad request before it leaves: nothing reaches the transport', async () => {
    const s = scripted({ ok: true, response: { ok: true } });
    const api = createIpcClient(s.transport);
    // @ts-expect-error -- the secret value is missing: the types already refuse it, the client refuses at run time
    expect(await rejection(api.invoke('renderer:env.setSecret', { name: 'acme', kind: 'client-secret' }))).toEqual({ code: 'invalid-request', message: 'value: Invalid input: expected string, received undefined' }); // no channel name in what a person may read
    // @ts-expect-error -- not a channel of the contract
    expect(await rejection(api.invoke('renderer:shell.exec', {}))).toMatchObject({ code: 'invalid-request', message: 'unknown channel "renderer:shell.exec"' });
    expect(s.sent).toEqual([]);
  });

  it('the service\'s errors arrive with their code; a refused sender too', async () => {
    const conn = connectInMemory(service, PAGE);
    expect(await rejection(conn.api.invoke('renderer:env.delete', { name: 'no-such-env' }))).toMatchObject({ code: 'not-found' });
    const stranger = connectInMemory(service, 'http://evil.example/');
    expect(await rejection(stranger.api.invoke('renderer:env.list', {}))).toMatchObject({ code: 'invalid-sender' });
    await Promise.all([conn.close(), stranger.close()]);
  });

  it('a malformed reply, or one that breaks the contract, is a failure naming the channel', async () => {
    expect(await rejection(createIpcClient(scripted('yes').transport).invoke('renderer:app.info', {}))).toEqual({ code: 'failed', message: 'renderer:app.info: malformed reply' });
    const wrong = createIpcClient(scripted({ ok: true, response: { version: 1 } }).transport);
    expect(await rejection(wrong.invoke('renderer:app.info', {}))).toMatchObject({ code: 'failed', message: expect.stringMatching(/^renderer:app\.info: reply does not match the contract \(version: /) });
    const refused = createIpcClient(scripted({ ok: false, error: { code: 'conflict', message: 'taken' } }).transport);
    expect(await rejection(refused.invoke('renderer:env.list', {}))).toEqual({ code: 'conflict', message: 'taken' });
  });

  it('pushes: unknown channels are refused, a push that breaks the contract is dropped and reported, the rest delivered until unsubscribed', () => {
    const s = scripted(undefined);
    const dropped: string[] = [];
    const api = createIpcClient(s.transport, { onDroppedPush: (l) => dropped.push(l) });
    // @ts-expect-error -- not a push channel of the contract
    expect(() => api.on('main:shell.output', () => undefined)).toThrow('[invalid-request] unknown push channel "main:shell.output"');
    expect(s.subscribers.size).toBe(0);
    const got: unknown[] = [];
    const off = api.on('main:sync.outbox', (p) => got.push(p));
    const deliver = s.subscribers.get('main:sync.outbox')!;
    deliver({ sessionId: 's', pending: -1, failed: 0 });
    deliver({ sessionId: 's', pending: 2, failed: 1 });
    expect(got).toEqual([{ sessionId: 's', pending: 2, failed: 1 }]);
    expect(dropped).toEqual([expect.stringMatching(/^main:sync\.outbox: dropped a push that does not match the contract: pending: /)]);
    off();
    expect(s.subscribers.size).toBe(0);
  });
});
