// Start/stop of a toggle that main owns (the tap, the relay): one request at a time — a second click while
// one runs is ignored — the answer's status kept, a failure's message shown, busy cleared either way.
import { toIpcError } from '../../../shared/ipc';

export interface BusyState<S> {
  busy: boolean;
  status: S;
  error?: string;
}

export function busyRunner<S>(current: () => BusyState<S>, update: (value: Partial<BusyState<S>>) => void): (fn: () => Promise<S>) => Promise<void> {
  return async (fn) => {
    if (current().busy) return;
    update({ busy: true, error: undefined });
    try {
      update({ status: await fn() });
    } catch (err) {
      update({ error: toIpcError(err).message });
    } finally {
      update({ busy: false });
    }
  };
}
