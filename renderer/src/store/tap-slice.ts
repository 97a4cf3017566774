// tap.*: the tap toggle (one tap for the app, in front of a socket-endpoint environment's Socket Endpoint)
// and its live connections, pushed by main as they come, go and finish turns.
import { toIpcError, type DebuggerApi } from '../../../shared/ipc';
import type { TapStatus } from '../../../shared/tap-ipc';
import { busyRunner } from './busy-runner';
import { patch, type SliceCreator } from './types';

export interface TapSlice {
  tap: {
    status: TapStatus;
    busy: boolean;
    error?: string;
    /** The tap bar under the toolbar is shown (to set it up, or while it runs). */
    panelOpen: boolean;
    togglePanel(): void;
    load(): Promise<void>;
    start(environment: string, opts: { enforce: boolean; record: boolean }): Promise<void>;
    stop(): Promise<void>;
    setStatus(status: TapStatus): void;
  };
}

export const createTapSlice =
  (api: DebuggerApi): SliceCreator<TapSlice> =>
  (set, get) => {
    const tap = (value: Partial<TapSlice['tap']>) => set(patch('tap', value));
    const run = busyRunner<TapStatus>(() => get().tap, tap);
    return {
      tap: {
        status: { running: false, connections: [] },
        busy: false,
        panelOpen: false,
        togglePanel: () => tap({ panelOpen: !get().tap.panelOpen }),
        async load() {
          try {
            const status = await api.invoke('renderer:tap.status', {});
            tap({ status, ...(status.running ? { panelOpen: true } : {}) });
          } catch (err) {
            tap({ error: toIpcError(err).message });
          }
        },
        start: (environment, opts) => run(() => api.invoke('renderer:tap.start', { environment, ...opts })),
        stop: () => run(() => api.invoke('renderer:tap.stop', {})),
        setStatus: (status) => tap({ status }),
      },
    };
  };
