// An outbox that lives in this process only, for write-backs whose receiver dies with the process too (the
// demo's in-process simulator): after a crash there is nobody to resend them to, so a file, its lock and
// its fsyncs would buy nothing. Same contract as the file outbox (changes in order, each on a draft, a
// throwing change rejects only its own promise), so the sync engine behaves the same on both.
import type { Outbox, OutboxState } from './outbox';

export function createMemoryOutbox(label: string): Outbox {
  let state: OutboxState = { pending: [], failed: [] };
  // Changes run in the order they were asked for, each after the caller got its promise (as on a file).
  let tail: Promise<unknown> = Promise.resolve();
  return {
    path: label,
    update<R>(change: (s: OutboxState) => R): Promise<R> {
      const run = tail.then(() => {
        const draft = structuredClone(state);
        const result = change(draft);
        state = draft;
        return result;
      });
      tail = run.catch(() => undefined);
      return run;
    },
    snapshot() {
      return structuredClone(state);
    },
  };
}
