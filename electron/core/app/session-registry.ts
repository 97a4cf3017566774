// The sessions of one client (a window, or one bridge connection): opens them through the deps, batches
// their events toward the client, and closes them with the client. One session per client at a time.
// Must never let events of one session reach another client, and never drop an event.
import type { SessionEvent } from '../../../shared/events';
import type { InvokeRequest, PushChannel, PushPayload, Settings } from '../../../shared/ipc';
import { AppError } from './app-error';
import type { OpenSession } from '../session/open-session';
import type { AppDeps } from './app-deps';
import { pairTokens } from '../../../shared/session-batch';
import { createEventBatcher, type EventBatcher } from './event-batcher';

/** What a turn is started with: the renderer's request without the session it names. */
export type TurnRequest = Omit<InvokeRequest<'renderer:turn.start'>, 'sessionId'>;

export interface PushSink {
  push<C extends PushChannel>(channel: C, payload: PushPayload<C>): void;
}

export interface SessionRegistry {
  open(environment: string, fallbacks: Settings['fallbacks']): Promise<OpenSession>;
  /**
   * Makes a session opened elsewhere (a tapped connection) this client's session: what it emitted so far
   * (`history`) goes out first, then its live events, in one ordered stream.
   */
  adopt(handle: OpenSession, history: readonly SessionEvent[]): Promise<OpenSession>;
  get(sessionId: string): OpenSession;
  /** Starts a turn; resolves with its id as soon as it has started. */
  startTurn(sessionId: string, turn: TurnRequest): Promise<string>;
  close(sessionId: string): Promise<void>;
  closeAll(): Promise<void>;
  /**
   * Runs `cleanup` when the session closes (a recorder attached to it stops then). Already closed: runs it at
   * once and throws not-found.
   */
  onClose(sessionId: string, cleanup: () => void): void;
}

interface Entry {
  /** The session id it was opened with (a window's session keeps its first dialog). */
  id: string;
  handle: OpenSession;
  batcher: EventBatcher;
  unsubscribe: () => void;
  /** The outbox counts last pushed ("pending/failed"), to push only changes. */
  lastOutbox: string;
  cleanups: Array<() => void>;
}

export function createSessionRegistry(deps: Pick<AppDeps, 'openSession'>, sink: PushSink, opts: { batchIntervalMs?: number } = {}): SessionRegistry {
  const sessions = new Map<string, Entry>();
  let closedAll = false;

  function entry(sessionId: string): Entry {
    const e = sessions.get(sessionId);
    if (!e) throw new AppError('not-found', `no open session "${sessionId}" (it was closed; open the environment again)`);
    return e;
  }

  function pushPending(e: Entry): void {
    const { pending, failed } = e.handle.engine.outboxCounts();
    const key = `${pending}/${failed}`;
    if (key === e.lastOutbox) return;
    e.lastOutbox = key;
    sink.push('main:sync.outbox', { sessionId: e.id, pending, failed });
  }

  async function closeEntry(e: Entry): Promise<void> {
    sessions.delete(e.id);
    e.batcher.close();
    e.unsubscribe();
    for (const c of e.cleanups.splice(0)) {
      try {
        c();
      } catch {
        // A failing cleanup must not keep the session open.
      }
    }
    await e.handle.close();
  }

  function attach(handle: OpenSession, history: readonly SessionEvent[]): OpenSession {
    const id = handle.engine.sessionId;
    const e: Entry = { id, handle, lastOutbox: '', cleanups: [], unsubscribe: () => {}, batcher: undefined as unknown as EventBatcher };
    e.batcher = createEventBatcher({
      intervalMs: opts.batchIntervalMs,
      // The window applies each batch whole (renderer/src/store/turn-model.ts).
      coalesceFiltered: true,
      send(events, batch) {
        // A token and the raw text it released travel as one event (shared/session-batch.ts).
        sink.push('main:session.events', { sessionId: id, batch, events: pairTokens(events) });
        if (events.some((ev) => ev.type === 'sync' || ev.type === 'turn.end')) pushPending(e);
      },
    });
    for (const ev of history) e.batcher.push(ev);
    e.unsubscribe = handle.engine.subscribe((ev) => e.batcher.push(ev));
    sessions.set(id, e);
    pushPending(e);
    return handle;
  }

  return {
    async open(environment, fallbacks) {
      if (closedAll) throw new AppError('failed', 'this window is closing');
      // One session per client: the previous one is closed first so its simulator and sockets go away.
      await Promise.all([...sessions.values()].map(closeEntry));
      return attach(await deps.openSession(environment, { fallbacks }), []);
    },
    async adopt(handle, history) {
      if (closedAll) throw new AppError('failed', 'this window is closing');
      await Promise.all([...sessions.values()].map(closeEntry));
      return attach(handle, history);
    },
    get(sessionId) {
      return entry(sessionId).handle;
    },
    async startTurn(sessionId, { input, scenario, webchat, userTyping }) {
      const { handle } = entry(sessionId);
      let off: () => void = () => {};
      const started = new Promise<string>((resolve) => {
        off = handle.engine.subscribe((ev) => {
          if (ev.type === 'turn.start') resolve(ev.turnId);
        });
      });
      const done = handle.engine.startTurn({ input, scenario, ...(webchat ? { webchat } : {}), ...(userTyping ? { userTyping } : {}) });
      // How the turn ends is told by its events; a rejection after the start is not this call's business.
      done.catch(() => {});
      try {
        return await Promise.race([
          started,
          done.then((summary) => {
            const turnId = (summary as { turnId?: unknown } | undefined)?.turnId;
            if (typeof turnId === 'string') return turnId;
            throw new AppError('failed', 'the turn ended without starting');
          }),
        ]);
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError('conflict', `could not start the turn: ${(err as Error).message ?? String(err)}`);
      } finally {
        off();
      }
    },
    async close(sessionId) {
      const e = sessions.get(sessionId);
      if (e) await closeEntry(e);
    },
    onClose(sessionId, cleanup) {
      const e = sessions.get(sessionId);
      if (e) return void e.cleanups.push(cleanup);
      // Closed while the caller was still setting up what it would clean: cleaned at once, and said so.
      cleanup();
      entry(sessionId);
    },
    async closeAll() {
      closedAll = true;
      await Promise.allSettled([...sessions.values()].map(closeEntry));
    },
  };
}
