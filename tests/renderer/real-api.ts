// The renderer's tests run against the real app service: real handlers, a real environment store and outbox
// in a temp data dir, a memory secret store (the keychain has its own e2e tests), the demo simulator in
// process — joined to the store by the shared IPC client over an in-memory transport (structured clones
// both ways). Nothing here re-implements a rule of the service; tests that need an exact event sequence push
// it as main would (`emit`), everything else comes from real turns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent } from '../../shared/events';
import type { DebuggerApi, InvokeChannel, PushChannel, PushPayload } from '../../shared/ipc';
import { createAppService } from '../../electron/core/app/app-service';
import { createDefaultDeps, type DefaultDeps } from '../../electron/core/app/default-deps';
import { createSenderPolicy } from '../../electron/core/app/sender-policy';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';
import type { SecretStore } from '../../electron/core/secrets/secret-store';
import { connectInMemory } from '../helpers/in-memory-transport';
import type { Changes } from '../helpers/until';

const WINDOW = 'http://127.0.0.1:4000/';

export interface RealApi extends DebuggerApi {
  /** Every request the renderer made, as it crossed the line. */
  calls: Array<{ channel: InvokeChannel; request: unknown }>;
  /** Pushes as main would (a menu command, a crafted event batch). */
  push<C extends PushChannel>(channel: C, payload: PushPayload<C>): void;
  /** Pushes `events` as one batch of the open session (numbered after the real batches). */
  emit(events: SessionEvent[]): void;
  /** The session the renderer opened last (from the service's own answer). */
  readonly sessionId: string;
  /** Every push delivered, and a way to wait on the next ones. */
  pushes: Array<{ channel: PushChannel; payload: unknown }>;
  changes: Changes;
  /** The main side: what the secret store holds (tests check values never come back). */
  secrets: SecretStore;
  deps: DefaultDeps;
  dataDir: string;
  close(): Promise<void>;
}

export function createRealApi(opts: { demoSpeed?: number; dataDir?: string } = {}): RealApi {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'renderer-real-'));
  const secrets = createMemoryStore();
  const deps = createDefaultDeps({ mode: 'browser', dataDir, secrets, demoSpeed: opts.demoSpeed ?? 0 });
  const service = createAppService(deps, { isTrustedSender: createSenderPolicy({ origins: [WINDOW] }) });
  const conn = connectInMemory(service, WINDOW);
  const calls: RealApi['calls'] = [];
  let sessionId = '';
  const lastBatch = new Map<string, number>();
  const seenBatch = (channel: PushChannel, payload: unknown) => {
    if (channel !== 'main:session.events') return;
    const p = payload as { sessionId: string; batch: number };
    lastBatch.set(p.sessionId, Math.max(lastBatch.get(p.sessionId) ?? -1, p.batch));
  };
  const api: RealApi = {
    async invoke(channel, request) {
      calls.push({ channel, request: structuredClone(request) });
      const response = await conn.api.invoke(channel, request);
      if (channel === 'renderer:session.open') sessionId = (response as { sessionId: string }).sessionId;
      return response;
    },
    on: (channel, listener) =>
      conn.api.on(channel, (payload) => {
        seenBatch(channel, payload);
        listener(payload);
      }),
    calls,
    push: (channel, payload) => conn.push(channel, payload),
    emit(events) {
      const batch = (lastBatch.get(sessionId) ?? -1) + 1;
      lastBatch.set(sessionId, batch);
      conn.push('main:session.events', { sessionId, batch, events });
    },
    get sessionId() {
      return sessionId;
    },
    pushes: conn.pushes,
    changes: conn.changes,
    secrets,
    deps,
    dataDir,
    async close() {
      await conn.close();
      await service.close();
      await deps.dispose();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return api;
}
