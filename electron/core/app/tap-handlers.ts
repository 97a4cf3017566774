// IPC handlers of the tap domain: the app's toggle for the tap (the same startTap as `tap`), the live list
// of tapped connections (pushed to every window), and watching one of them in a window. One tap per app
// service. A tapped connection's session keeps its events (bounded, whole turns) so a window that starts
// watching late still sees the dialog from its start.
// Must never bind anything but 127.0.0.1 (the tap guarantees it) and never outlive the service.
import type { SessionEvent } from '../../../shared/events';
import type { TapConnection, TapStatus } from '../../../shared/tap-ipc';
import { isReservedName } from '../environments/demo';
import { compilePolicy } from '../filters';
import { loadPolicyFile } from '../filters/policy-file';
import { createMemoryStore } from '../secrets/memory-store';
import { openTapEnvironment, startTap, type RunningTap, type TapEnvironment } from '../tap/tap-service';
import type { TapSession } from '../tap/tap-session';
import { AppError } from './app-error';
import type { OpenSession } from '../session/open-session';
import type { SessionEngine } from '../session/session-engine';
import type { AppDeps } from './app-deps';
import type { Handlers } from './handler-types';
import { createRecordingsStore } from './recordings-store';
import { createSerial } from '../util/serial';

type TapHandlers = Pick<Handlers, 'renderer:tap.start' | 'renderer:tap.stop' | 'renderer:tap.status' | 'renderer:tap.watch'>;

/** Events kept per tapped connection; beyond it the oldest whole turns go. */
const MAX_EVENTS_PER_CONNECTION = 200_000;

export interface TapControl {
  handlers: TapHandlers;
  close(): Promise<void>;
}

interface Tapped {
  session: TapSession;
  events: SessionEvent[];
  turns: number;
  open: boolean;
  recording?: string;
}

/** Keeps whole turns: dropping from the front stops at the next turn.start. */
function trim(events: SessionEvent[]): void {
  if (events.length <= MAX_EVENTS_PER_CONNECTION) return;
  let cut = events.length - MAX_EVENTS_PER_CONNECTION;
  while (cut < events.length && events[cut]?.type !== 'turn.start') cut++;
  // One turn larger than the bound: keep its newest events rather than none.
  if (cut >= events.length) cut = events.length - MAX_EVENTS_PER_CONNECTION;
  events.splice(0, cut);
}

export function tapHandlers(deps: Pick<AppDeps, 'dataDir' | 'environments' | 'settings' | 'demo'>, broadcast: (status: TapStatus) => void): TapControl {
  let current: { tap: RunningTap; target: TapEnvironment; enforce: boolean; connections: Map<string, Tapped>; refused?: string } | undefined;
  const serial = createSerial();

  const status = (): TapStatus => {
    if (!current) return { running: false, connections: [] };
    const connections: TapConnection[] = [...current.connections.values()].map((c) => ({
      id: c.session.info.id,
      ...(c.session.info.query.userId ? { userId: c.session.info.query.userId } : {}),
      sessionId: c.session.engine.sessionId,
      startedAt: c.session.info.startedAt,
      turns: c.turns,
      open: c.open,
      ...(c.recording ? { recording: c.recording } : {}),
    }));
    return { running: true, url: current.tap.proxy.url, environment: current.target.environment.name, enforce: current.enforce, connections, ...(current.refused ? { error: `a frontend was refused: ${current.refused}` } : {}) };
  };
  const changed = () => broadcast(status());

  async function target(name: string): Promise<TapEnvironment> {
    if (isReservedName(name)) return openTapEnvironment(name, { dataDir: deps.dataDir, ...(deps.demo.speed !== undefined ? { speed: deps.demo.speed } : {}) });
    const environment = await deps.environments.get(name);
    if (environment.kind !== 'socket-endpoint') throw new AppError('invalid-request', `the tap sits in front of a Socket Endpoint; "${name}" is a ${environment.kind} environment`);
    return { environment, builtIn: false, close: async () => undefined };
  }

  async function stop(): Promise<void> {
    const c = current;
    current = undefined;
    if (!c) return;
    await c.tap.close().catch(() => undefined);
    await c.target.close().catch(() => undefined);
    changed();
  }

  return {
    handlers: {
      'renderer:tap.start': ({ environment, port, enforce, record }) =>
        serial(async () => {
          await stop();
          const t = await target(environment);
          try {
            const { fallbacks } = await deps.settings.get();
            const policy = t.environment.policyPath ? await loadPolicyFile(t.environment.policyPath) : undefined;
            const connections = new Map<string, Tapped>();
            const tap = await startTap({
              port: port ?? 0,
              environment: t.environment,
              compiled: compilePolicy(policy),
              enforce: Boolean(enforce),
              fallbacks,
              ...(record ? { recordDir: createRecordingsStore(deps.dataDir).dir } : {}),
              onRefused(detail) {
                if (current) current.refused = detail;
                changed();
              },
              onSession(session, path) {
                const c: Tapped = { session, events: [], turns: 0, open: true, ...(path ? { recording: path.split(/[\\/]/).pop() } : {}) };
                connections.set(session.info.id, c);
                session.engine.subscribe((e) => {
                  c.events.push(e);
                  trim(c.events);
                  if (e.type === 'turn.end') {
                    c.turns++;
                    changed();
                  }
                });
                void session.ended.then(() => {
                  c.open = false;
                  changed();
                });
                changed();
              },
            });
            current = { tap, target: t, enforce: Boolean(enforce), connections };
          } catch (err) {
            await t.close();
            const e = err as NodeJS.ErrnoException;
            if (e.code === 'EADDRINUSE') throw new AppError('conflict', `port ${port} on 127.0.0.1 is already in use; pick another (0 = a free one)`);
            throw new AppError('failed', `could not start the tap: ${e.message}`);
          }
          changed();
          return status();
        }),
      'renderer:tap.stop': () =>
        serial(async () => {
          await stop();
          return status();
        }),
      'renderer:tap.status': async () => status(),
      'renderer:tap.watch': async ({ connectionId }, ctx) => {
        const c = current?.connections.get(connectionId);
        if (!c || !current) throw new AppError('not-found', 'that tapped connection is gone (the tap was stopped or restarted)');
        const tapped = c.session.engine;
        // A window watches the tapped engine: its events and recording, never its turns (they come from the
        // user's own frontend) nor its end (watching ends; the tapped connection goes on).
        const engine: SessionEngine = Object.assign(Object.create(tapped) as SessionEngine, {
          subscribe: (l: Parameters<SessionEngine['subscribe']>[0]) => tapped.subscribe(l),
          startTurn: () => Promise.reject(new AppError('conflict', 'this session is tapped: its turns come from your own frontend — type there')),
          cancelTurn: () => undefined,
          retrySync: async () => undefined,
          outboxCounts: () => ({ pending: 0, failed: 0 }),
          close: async () => undefined,
        });
        const handle: OpenSession = {
          engine,
          environment: current.target.environment,
          secrets: createMemoryStore({}),
          builtIn: current.target.builtIn,
          fallbacks: (await deps.settings.get()).fallbacks,
          dataDir: deps.dataDir,
          close: async () => undefined,
        };
        await ctx.sessions.adopt(handle, [...c.events]);
        return { sessionId: engine.sessionId, environment: handle.environment.name, upstream: handle.environment.kind };
      },
    },
    close: () => serial(stop),
  };
}
