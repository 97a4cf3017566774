// The shared IPC client (shared/ipc-client.ts) over an in-memory transport into a real app service: the
// renderer's store and views run against the real handlers, with every request and reply passed through
// structuredClone (as Electron's IPC and the bridge's JSON would) so nothing shares objects across the line.
import type { DebuggerApi, PushChannel, PushPayload } from '../../shared/ipc';
import { createIpcClient, type IpcTransport } from '../../shared/ipc-client';
import type { AppClient, AppService } from '../../electron/core/app/app-service';
import { createChanges, type Changes } from './until';

export interface InMemoryConnection {
  api: DebuggerApi;
  /** The service side of this connection (what Electron's main or the bridge holds per window). */
  client: AppClient;
  /** Every push delivered to this connection, in order. */
  pushes: Array<{ channel: PushChannel; payload: unknown }>;
  /** Notified after every push (wait on it with `changes.until`). */
  changes: Changes;
  /** Pushes as main would (e.g. a menu command): the payload crosses the same line. */
  push<C extends PushChannel>(channel: C, payload: PushPayload<C>): void;
  close(): Promise<void>;
}

export function connectInMemory(service: AppService, senderUrl: string): InMemoryConnection {
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
  const pushes: InMemoryConnection['pushes'] = [];
  const changes = createChanges();
  const deliver = (channel: PushChannel, payload: unknown) => {
    const copy = structuredClone(payload);
    pushes.push({ channel, payload: copy });
    for (const l of listeners.get(channel) ?? []) l(copy);
    changes.notify();
  };
  const client = service.connect({ push: (channel, payload) => deliver(channel, payload) });
  const transport: IpcTransport = {
    request: async (channel, request) => structuredClone(await client.dispatch(channel, structuredClone(request), senderUrl)),
    subscribe(channel, fn) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(fn);
      return () => set.delete(fn);
    },
  };
  return {
    api: createIpcClient(transport),
    client,
    pushes,
    changes,
    push: (channel, payload) => deliver(channel, payload),
    close: () => client.close(),
  };
}
