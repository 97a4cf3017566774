// A running tap, as the CLI and the app both use it: the transport (tap-proxy), one debugger session per
// frontend connection (tap-session), optionally one cassette per connection and the --enforce-policy
// transform. Everything a face needs comes out through onSession; the faces only print or show it.
// Must never write the URL token anywhere but the one URL the user puts into their frontend.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SocketEndpointEnvironment, type Environment } from '../../../shared/environment';
import { DEFAULT_FALLBACKS, fallbackFor, type FallbackMessages } from '../fallbacks';
import type { CompiledPolicy } from '../filters';
import { startSessionRecorder, type SessionRecorder } from '../recording/session-recorder';
import { createMemoryStore } from '../secrets/memory-store';
import { isReservedName } from '../environments/demo';
import { loadStoredEnvironment, openDemo } from '../session/open-environment';
import type { ScenarioName } from '../../../shared/scenarios';
import type { WebchatMode } from '../../../shared/webchat';
import { endpointServerUrl } from '../upstreams/socket-endpoint/endpoint-url';
import { createOutputEnforcer } from './output-enforcer';
import { startTapProxy, type TapProxy, type TapTransport } from './tap-proxy';
import { createTapSession, type TapSession } from './tap-session';

export interface StartTapOptions {
  port: number;
  /** A socket-endpoint environment: where the tap connects, and the settings its sessions use. */
  environment: Environment;
  compiled: CompiledPolicy;
  /** The frontend receives the filtered stream instead of what Cognigy sent. */
  enforce?: boolean;
  fallbacks?: FallbackMessages;
  idleTimeoutMs?: number;
  /** One cassette per connection in this folder (created when missing). */
  recordDir?: string;
  transports?: TapTransport[];
  /** Webchat preview of each tapped turn (default: the endpoint's own settings). */
  webchat?: WebchatMode;
  onSession?(s: TapSession, recordingPath?: string): void;
  onNotice?(text: string): void;
  /** A frontend got a connect error (the upstream unreachable, the tap full): what it was told. */
  onRefused?(detail: string): void;
}

export interface RunningTap {
  readonly proxy: TapProxy;
  sessions(): TapSession[];
  close(): Promise<void>;
}

/** The environment a bare `--upstream URL` stands for: the URL's last path segment is the URL token. */
export function environmentForUpstream(endpointUrl: string, name = 'tap'): SocketEndpointEnvironment {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    throw new Error(`--upstream must be the endpoint URL, https://endpoint-<env>.cognigy.ai/<URLToken>; got "${endpointUrl}"`);
  }
  const urlToken = url.pathname.split('/').filter(Boolean).pop();
  if (!urlToken) throw new Error('--upstream has no URL token: give the whole endpoint URL, https://endpoint-<env>.cognigy.ai/<URLToken>');
  endpointServerUrl(endpointUrl, urlToken); // https/wss only, except to a loopback host
  return SocketEndpointEnvironment.parse({ name, kind: 'socket-endpoint', socketEndpoint: { endpointUrl, urlToken } });
}

export interface TapEnvironment {
  environment: SocketEndpointEnvironment;
  /** demo: the built-in simulator plays Cognigy. */
  builtIn: boolean;
  close(): Promise<void>;
}

/**
 * The environment a tap sits in front of: a stored socket-endpoint environment (its settings only: a tap
 * needs no secret, so the keychain is never touched), or `demo`, the built-in simulator's Socket Endpoint.
 */
export async function openTapEnvironment(name: string, o: { dataDir: string; scenario?: ScenarioName; speed?: number }): Promise<TapEnvironment> {
  if (isReservedName(name)) {
    const demo = await openDemo({ ...(o.scenario ? { scenario: o.scenario } : {}), ...(o.speed !== undefined ? { speed: o.speed } : {}) });
    return { environment: demo.socketEndpoint!, builtIn: true, close: () => demo.close() };
  }
  const environment = await loadStoredEnvironment(name, o.dataDir);
  if (environment.kind !== 'socket-endpoint') {
    throw new Error(`the tap sits in front of a Socket Endpoint; environment "${name}" is a ${environment.kind} environment (use a socket-endpoint environment, or --upstream URL)`);
  }
  return { environment, builtIn: false, close: async () => undefined };
}

export async function startTap(o: StartTapOptions): Promise<RunningTap> {
  const env = o.environment;
  if (env.kind !== 'socket-endpoint') throw new Error(`the tap sits in front of a Socket Endpoint; environment "${env.name}" is a ${env.kind} environment`);
  const fallbacks = o.fallbacks ?? DEFAULT_FALLBACKS;
  if (o.recordDir) mkdirSync(o.recordDir, { recursive: true });
  const live = new Map<string, { session: TapSession; recorder?: SessionRecorder }>();
  // The URL token is guarded as a secret by every recorder (it is the environment's).
  const secrets = createMemoryStore({});

  const proxy = await startTapProxy({
    port: o.port,
    upstream: { endpointUrl: env.socketEndpoint.endpointUrl, urlToken: env.socketEndpoint.urlToken, ...(o.transports ? { transports: o.transports } : {}) },
    onRefused: (detail) => o.onRefused?.(detail),
    onConnection(info) {
      const enforcer = o.enforce
        ? createOutputEnforcer({ compiled: o.compiled, hashSalt: randomUUID(), blockedText: fallbackFor('content_filtered', fallbacks) })
        : undefined;
      const session = createTapSession(info, {
        environment: env,
        compiled: o.compiled,
        fallbacks,
        ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMs: o.idleTimeoutMs } : {}),
        ...(o.webchat ? { webchat: o.webchat } : {}),
        ...(enforcer ? { transform: (e: string, a: unknown[]) => enforcer.transform(e, a) } : {}),
        onIssue: (d) => o.onNotice?.(`connection ${info.id.slice(0, 8)}: ${d}`),
      });
      const entry: { session: TapSession; recorder?: SessionRecorder } = { session };
      live.set(info.id, entry);
      let path: string | undefined;
      if (o.recordDir) {
        path = join(o.recordDir, `tap-${info.startedAt.replace(/[:.]/g, '-')}-${info.id.slice(0, 8)}.jsonl`);
        // Attached before any turn can start: the first processInput arrives in a later I/O callback.
        void startSessionRecorder({ engine: session.engine, path, environment: env, secrets, note: 'recorded through the tap' })
          .then((r) => (entry.recorder = r))
          .catch((err: unknown) => o.onNotice?.(`cannot record connection ${info.id.slice(0, 8)}: ${(err as Error).message}`));
      }
      void session.ended.then(() => {
        entry.recorder?.stop();
        live.delete(info.id);
      });
      o.onSession?.(session, path);
      return session.hooks;
    },
  });

  return {
    proxy,
    sessions: () => [...live.values()].map((e) => e.session),
    async close() {
      await proxy.close();
      await Promise.all([...live.values()].map((e) => e.session.ended));
    },
  };
}
