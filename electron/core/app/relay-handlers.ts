// IPC handlers of the relay domain: the app's toggle for the local SSE relay (the same server and turn
// runner as `relay`), serving the filtered stream of an environment on http://127.0.0.1:N. One relay per
// app service. Started from a window with that environment open, it runs its turns in the window's own
// session, so a developer sees in the lanes what their frontend is being sent; otherwise it has a session
// of its own.
// Must never bind anything but 127.0.0.1 (the relay server guarantees it) and never outlive the service.
import type { RelayStatus } from '../../../shared/recordings-ipc';
import { SCENARIOS } from '../../../shared/scenarios';
import { fallbackFor } from '../fallbacks';
import { createEngineTurnRunner } from '../relay/engine-runner';
import { createRelayServer, type RelayServer } from '../relay/relay-server';
import { AppError } from './app-error';
import type { OpenSession } from '../session/open-session';
import type { AppDeps } from './app-deps';
import type { Handlers } from './handler-types';
import { createSerial } from '../util/serial';

type RelayHandlers = Pick<Handlers, 'renderer:relay.start' | 'renderer:relay.stop' | 'renderer:relay.status'>;

export interface RelayControl {
  handlers: RelayHandlers;
  /** Stops the relay and closes its session. */
  close(): Promise<void>;
}

export function relayHandlers(deps: Pick<AppDeps, 'openSession' | 'settings'>): RelayControl {
  /** owned: the relay opened the session itself (and closes it); else it is a window's. */
  let current: { server: RelayServer; handle: OpenSession; owned: boolean } | undefined;
  // Start and stop run one after the other, so a double click cannot leave a second relay behind.
  const serial = createSerial();

  const status = (): RelayStatus => (current ? { running: true, url: current.server.url, environment: current.handle.environment.name } : { running: false });

  async function stop(): Promise<void> {
    const c = current;
    current = undefined;
    if (!c) return;
    await c.server.close().catch(() => undefined);
    if (c.owned) await c.handle.close().catch(() => undefined);
  }

  return {
    handlers: {
      'renderer:relay.start': ({ environment, port, sessionId }, ctx) =>
        serial(async () => {
          await stop();
          const { fallbacks } = await deps.settings.get();
          const shared = sessionId ? ctx.sessions.get(sessionId) : undefined;
          if (shared && shared.environment.name !== environment) {
            throw new AppError('conflict', `session ${sessionId} is of environment "${shared.environment.name}", not "${environment}"`);
          }
          const handle = shared ?? (await deps.openSession(environment, { fallbacks }));
          const owned = !shared;
          const release = async () => {
            if (owned) await handle.close();
          };
          const core = handle;
          try {
            const server = await createRelayServer({
              runTurn: createEngineTurnRunner(core.engine),
              port: port ?? 0,
              scenarios: core.builtIn ? SCENARIOS : undefined,
              // The relay's own errors show the fallbacks its session shows (a window's session: as it was opened).
              fallbackFor: (cause) => fallbackFor(cause, core.fallbacks),
            });
            current = { server, handle, owned };
            // A window's session going away (another environment, the window closed) takes the relay along.
            if (shared && sessionId) ctx.sessions.onClose(sessionId, () => void serial(async () => (current?.handle === shared ? stop() : undefined)));
          } catch (err) {
            await release();
            const e = err as NodeJS.ErrnoException;
            if (e.code === 'EADDRINUSE') throw new AppError('conflict', `port ${port} on 127.0.0.1 is already in use; pick another (0 = a free one)`);
            throw new AppError('failed', `could not start the relay: ${e.message}`);
          }
          return status();
        }),
      'renderer:relay.stop': () =>
        serial(async () => {
          await stop();
          return status();
        }),
      // After any start/stop in flight (a window's session closing stops its relay through the chain).
      'renderer:relay.status': () => serial(async () => status()),
    },
    close: () => serial(stop),
  };
}
