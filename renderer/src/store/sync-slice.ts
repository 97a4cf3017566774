// sync.*: per-answer sync timelines (queued → sending → retrying in N s (cause) → synced / failed), the
// outbox count, and "retry now".
import type { Cause, SyncEvent } from '../../../shared/events';
import { toIpcError, type DebuggerApi, type PushPayload } from '../../../shared/ipc';
import { patch, type SliceCreator } from './types';

export interface SyncStep {
  state: SyncEvent['state'];
  attempt: number;
  /** Wall clock when the renderer saw it. */
  receivedAt: number;
  nextAttemptAt?: number;
  cause?: Cause;
  detail?: string;
}

export interface SyncTimeline {
  syncId: string;
  turnId: string;
  target: SyncEvent['target'];
  state: SyncEvent['state'];
  steps: SyncStep[];
}

export interface SyncSlice {
  sync: {
    pending: number;
    /** Syncs the server refused for good: still in the outbox, they need the user (Retry now). */
    failed: number;
    byId: Record<string, SyncTimeline>;
    order: string[];
    retrying: Record<string, boolean>;
    error?: string;
    apply(events: SyncEvent[]): void;
    setPending(p: PushPayload<'main:sync.outbox'>): void;
    retry(syncId: string): Promise<void>;
    reset(): void;
  };
}

export const createSyncSlice =
  (api: DebuggerApi): SliceCreator<SyncSlice> =>
  (set, get) => {
    const sync = (value: Partial<SyncSlice['sync']>) => set(patch('sync', value));
    return {
      sync: {
        pending: 0,
        failed: 0,
        byId: {},
        order: [],
        retrying: {},
        apply(events) {
          const byId = { ...get().sync.byId };
          let order = get().sync.order;
          const now = Date.now();
          for (const e of events) {
            const prev = byId[e.syncId];
            const step: SyncStep = { state: e.state, attempt: e.attempt, receivedAt: now, nextAttemptAt: e.nextAttemptAt, cause: e.cause, detail: e.detail };
            if (!prev) order = [...order, e.syncId];
            byId[e.syncId] = { syncId: e.syncId, turnId: e.turnId, target: e.target, state: e.state, steps: [...(prev?.steps ?? []), step] };
          }
          sync({ byId, order });
        },
        setPending({ sessionId, pending, failed }) {
          if (sessionId === get().session.sessionId) sync({ pending, failed });
        },
        async retry(syncId) {
          const { sessionId } = get().session;
          if (!sessionId) return;
          sync({ retrying: { ...get().sync.retrying, [syncId]: true }, error: undefined });
          try {
            await api.invoke('renderer:sync.retry', { sessionId, syncId });
          } catch (err) {
            sync({ error: toIpcError(err).message });
          } finally {
            sync({ retrying: { ...get().sync.retrying, [syncId]: false } });
          }
        },
        reset() {
          sync({ byId: {}, order: [], pending: 0, failed: 0, retrying: {} });
        },
      },
    };
  };
