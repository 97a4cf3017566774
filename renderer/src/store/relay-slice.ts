// relay.*: the local SSE relay toggle (one relay for the app, serving an environment's filtered stream on
// http://127.0.0.1:N for a developer's own frontend).
import { toIpcError, type DebuggerApi } from '../../../shared/ipc';
import type { RelayStatus } from '../../../shared/recordings-ipc';
import { busyRunner } from './busy-runner';
import { patch, type SliceCreator } from './types';

export interface RelaySlice {
  relay: {
    status: RelayStatus;
    busy: boolean;
    error?: string;
    load(): Promise<void>;
    start(environment: string): Promise<void>;
    stop(): Promise<void>;
  };
}

export const createRelaySlice =
  (api: DebuggerApi): SliceCreator<RelaySlice> =>
  (set, get) => {
    const relay = (value: Partial<RelaySlice['relay']>) => set(patch('relay', value));
    const run = busyRunner<RelayStatus>(() => get().relay, relay);
    return {
      relay: {
        status: { running: false },
        busy: false,
        async load() {
          try {
            relay({ status: await api.invoke('renderer:relay.status', {}) });
          } catch (err) {
            relay({ error: toIpcError(err).message });
          }
        },
        start: (environment) =>
          run(() => {
            // Relay into this window's session when it is of that environment: its turns then show here.
            const { sessionId, environment: open } = get().session;
            return api.invoke('renderer:relay.start', { environment, ...(sessionId && open === environment ? { sessionId } : {}) });
          }),
        stop: () => run(() => api.invoke('renderer:relay.stop', {})),
      },
    };
  };
