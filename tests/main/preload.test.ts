// The preload as it runs: its entry against a stand-in `electron` (Electron's binary cannot run here) that
// records what is exposed, and an ipcRenderer stand-in whose invoke reaches the real app service the way
// main's ipc.ts does (per channel, the sender's URL beside the request).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toIpcError, type DebuggerApi } from '../../shared/ipc';
import { createAppService, type AppClient, type AppService } from '../../electron/core/app/app-service';
import { createDefaultDeps, type DefaultDeps } from '../../electron/core/app/default-deps';
import { createSenderPolicy } from '../../electron/core/app/sender-policy';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';

type Listener = (event: unknown, ...args: unknown[]) => void;
const rec = vi.hoisted(() => ({
  exposed: [] as Array<[string, unknown]>,
  listeners: new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>(),
  invoke: (_channel: string, _request: unknown): Promise<unknown> => Promise.reject(new Error('no service yet')),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => rec.exposed.push([key, api]) },
  ipcRenderer: {
    invoke: (channel: string, request: unknown) => rec.invoke(channel, request),
    on(channel: string, l: Listener) {
      let set = rec.listeners.get(channel);
      if (!set) rec.listeners.set(channel, (set = new Set()));
      set.add(l);
    },
    removeListener: (channel: string, l: Listener) => rec.listeners.get(channel)?.delete(l),
    send: () => {
      throw new Error('the preload never uses ipcRenderer.send');
    },
  },
}));

const PAGE = 'file:///opt/app/out/renderer/index.html';
const MAIN_EVENT = { sender: 'ipcRenderer itself', senderId: 0 };
let dir: string;
let deps: DefaultDeps;
let service: AppService;
let client: AppClient;
let api: DebuggerApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preload-'));
  deps = createDefaultDeps({ mode: 'electron', dataDir: dir, secrets: createMemoryStore(), demoSpeed: 0 });
  service = createAppService(deps, { isTrustedSender: createSenderPolicy({ rendererFileUrl: PAGE }) });
  client = service.connect({ push: (channel, payload) => rec.listeners.get(channel)?.forEach((l) => l(MAIN_EVENT, structuredClone(payload))) });
  rec.invoke = async (channel, request) => structuredClone(await client.dispatch(channel, structuredClone(request), PAGE));
  await import('../../electron/preload/index');
  api = rec.exposed[0]![1] as DebuggerApi;
});
afterAll(async () => {
  await service.close();
  await deps.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const rejection = async (p: Promise<unknown>) => toIpcError(await p.then(() => new Error('resolved'), (e: unknown) => e));

describe('preload', () => {
  it('exposes exactly one object, window.debuggerApi, with invoke and on only', () => {
    expect(rec.exposed.map(([key]) => key)).toEqual(['debuggerApi']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('invokes the service and returns its checked reply; refuses bad requests before sending', async () => {
    expect(await api.invoke('renderer:app.info', {})).toMatchObject({ mode: 'electron', dataDir: dir });
    const sent: string[] = [];
    const through = rec.invoke;
    rec.invoke = (channel, request) => (sent.push(channel), through(channel, request));
    try {
      // @ts-expect-error -- the request lacks the secret's value
      expect(await rejection(api.invoke('renderer:env.setSecret', { name: 'acme', kind: 'api-key' }))).toMatchObject({ code: 'invalid-request' });
      // @ts-expect-error -- not a channel of the contract
      expect(await rejection(api.invoke('renderer:shell.exec', {}))).toMatchObject({ code: 'invalid-request' });
      expect(sent).toEqual([]);
      expect(await rejection(api.invoke('renderer:env.delete', { name: 'nope' }))).toMatchObject({ code: 'not-found' });
      expect(sent).toEqual(['renderer:env.delete']);
    } finally {
      rec.invoke = through;
    }
  });

  it('a main that does not answer (no handler) is a failure naming the channel', async () => {
    const through = rec.invoke;
    rec.invoke = () => Promise.reject(new Error("No handler registered for 'renderer:app.info'"));
    try {
      expect(await rejection(api.invoke('renderer:app.info', {}))).toEqual({ code: 'failed', message: "renderer:app.info: main did not answer (No handler registered for 'renderer:app.info')" });
    } finally {
      rec.invoke = through;
    }
  });

  it('pushes reach the listener as the payload alone (never the event, which carries ipcRenderer), checked, until unsubscribed', async () => {
    const seen: unknown[][] = [];
    const off = api.on('main:session.events', (...args: unknown[]) => seen.push(args));
    // @ts-expect-error -- unknown push channels are refused, not silently subscribed
    expect(() => api.on('main:anything', () => undefined)).toThrow(/unknown push channel/);
    expect(rec.listeners.has('main:anything')).toBe(false);
    const { sessionId } = await api.invoke('renderer:session.open', { environment: 'demo' });
    const ended = new Promise<void>((resolve) => {
      const stop = api.on('main:session.events', (p) => p.events.some((e) => e.type === 'turn.end') && (stop(), resolve()));
    });
    await api.invoke('renderer:turn.start', { sessionId, input: 'hello' });
    await ended;
    expect(seen.length).toBeGreaterThan(0);
    for (const args of seen) {
      expect(args).toHaveLength(1);
      expect(args[0]).toMatchObject({ sessionId });
    }
    const before = seen.length;
    rec.listeners.get('main:session.events')?.forEach((l) => l(MAIN_EVENT, { sessionId, batch: 'x', events: [] }));
    expect(seen.length).toBe(before);
    off();
    expect(rec.listeners.get('main:session.events')?.size).toBe(0);
  });
});
