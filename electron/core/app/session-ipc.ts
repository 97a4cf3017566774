// IPC handlers of the session domain: open/close a session, start/cancel a turn, retry a sync now.
import type { Handlers } from './handler-types';
import type { AppDeps } from './app-deps';

type SessionHandlers = Pick<Handlers, 'renderer:session.open' | 'renderer:session.close' | 'renderer:turn.start' | 'renderer:turn.cancel' | 'renderer:sync.retry'>;

export function sessionHandlers(deps: AppDeps): SessionHandlers {
  return {
    async 'renderer:session.open'({ environment }, { sessions }) {
      const { fallbacks } = await deps.settings.get();
      const handle = await sessions.open(environment, fallbacks);
      return { sessionId: handle.engine.sessionId, environment: handle.environment.name, upstream: handle.environment.kind };
    },
    async 'renderer:session.close'({ sessionId }, { sessions }) {
      await sessions.close(sessionId);
      return { ok: true };
    },
    async 'renderer:turn.start'({ sessionId, ...turn }, { sessions }) {
      return { turnId: await sessions.startTurn(sessionId, turn) };
    },
    async 'renderer:turn.cancel'({ sessionId }, { sessions }) {
      sessions.get(sessionId).engine.cancelTurn();
      return { ok: true };
    },
    async 'renderer:sync.retry'({ sessionId, syncId }, { sessions }) {
      await sessions.get(sessionId).engine.retrySync(syncId);
      return { ok: true };
    },
  };
}
