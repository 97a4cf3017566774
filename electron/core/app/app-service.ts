// The Electron-free app behind the IPC contract: every invoke handler, the per-client session registries,
// event batching and sender validation. Electron main and the browser bridge are two transports over it.
// Must never import electron, and never send a secret to a client.
import { createDispatcher, type Dispatch } from './dispatcher';
import type { AppDeps } from './app-deps';
import { appHandlers } from './app-ipc';
import { environmentHandlers } from './environment-ipc';
import type { Handlers } from './handler-types';
import { recordingsHandlers } from './recordings-handlers';
import { relayHandlers } from './relay-handlers';
import type { SenderPolicy } from './sender-policy';
import { sessionHandlers } from './session-ipc';
import { createSessionRegistry, type PushSink } from './session-registry';
import { tapHandlers } from './tap-handlers';
import { qaHandlers } from './qa-handlers';

export interface AppClient {
  /** Handles one invoke. Never throws: failures come back as `{ ok: false, error }`. */
  dispatch: Dispatch;
  /** Closes this client's sessions. */
  close(): Promise<void>;
}

export interface AppService {
  connect(sink: PushSink): AppClient;
  /** Closes every client. */
  close(): Promise<void>;
  readonly deps: AppDeps;
}

export interface AppServiceOptions {
  isTrustedSender: SenderPolicy;
  batchIntervalMs?: number;
  onError?: (channel: string, message: string) => void;
}

export function createAppService(deps: AppDeps, opts: AppServiceOptions): AppService {
  const relay = relayHandlers(deps);
  const sinks = new Set<PushSink>();
  // The tap's connections come and go on their own: every window hears of them.
  const tap = tapHandlers(deps, (status) => {
    for (const s of sinks) s.push('main:tap.status', status);
  });
  // QA jobs belong to the service, not to a window: every window hears of them (a reload finds them running).
  const qa = qaHandlers(deps, {
    push(channel, payload) {
      for (const s of sinks) s.push(channel, payload);
    },
  });
  const handlers: Handlers = {
    ...appHandlers(deps),
    ...environmentHandlers(deps),
    ...sessionHandlers(deps),
    ...recordingsHandlers(deps, { alsoRecording: qa.writing }),
    ...qa.handlers,
    ...relay.handlers,
    ...tap.handlers,
  };
  const clients = new Set<AppClient>();
  return {
    deps,
    connect(sink) {
      const sessions = createSessionRegistry(deps, sink, { batchIntervalMs: opts.batchIntervalMs });
      const dispatchOne = createDispatcher({ handlers, isTrustedSender: opts.isTrustedSender, ctx: { sessions }, onError: opts.onError });
      // The requests still being answered: closing waits for them, so nothing of this window (a recording
      // being started, its file half written) goes on after the close.
      const inFlight = new Set<Promise<unknown>>();
      const dispatch: Dispatch = (channel, request, senderUrl) => {
        const answer = dispatchOne(channel, request, senderUrl);
        inFlight.add(answer);
        const done = () => void inFlight.delete(answer);
        answer.then(done, done);
        return answer;
      };
      sinks.add(sink);
      const client: AppClient = {
        dispatch,
        async close() {
          clients.delete(client);
          sinks.delete(sink);
          // Sessions first: a request waiting on one (a turn, a recording's start) then ends.
          await sessions.closeAll();
          await Promise.allSettled([...inFlight]);
        },
      };
      clients.add(client);
      return client;
    },
    async close() {
      await Promise.allSettled([...clients].map((c) => c.close()));
      await qa.close();
      await relay.close();
      await tap.close();
    },
  };
}
