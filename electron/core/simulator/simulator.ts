// createSimulator: one loopback HTTP server that is a faithful peer for both upstreams — the gateway (OAuth,
// config, stream, variables), the Socket.IO Endpoint and the management API's context inject. It is the
// demo's upstream, every test's upstream and a tool for users' own frontends.
// Must never listen on anything but 127.0.0.1, and never print or log the credentials it was given.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScenarioName, SCENARIOS } from '../../../shared/scenarios';
import { createScriptedAnswers, type AnswerSource } from './answers';
import { createContext, DEFAULT_SCOPES, type SimConfig } from './context';
import { createGatewayStream, STREAM_PATH } from './gateway-stream';
import { rejectUpgrade } from './http-util';
import { createIdempotencyStore } from './idempotency';
import { createRateLimiter } from './inject-route';
import { validateSpeed } from './pacing';
import { compileFlushOverrides, DEFAULT_FLUSH_OVERRIDES } from './output-chunker';
import { createRequestHandler } from './routes';
import { attachSocketEndpoint, socketPathFor } from './socket-endpoint';
import type { Simulator, SimulatorOptions } from './types';

export const HOST = '127.0.0.1';

/** Listening failed (e.g. the port is in use); `code` is Node's error code. */
export class SimulatorListenError extends Error {
  override name = 'SimulatorListenError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

function resolveConfig(opts: SimulatorOptions): SimConfig {
  for (const k of ['clientId', 'clientSecret', 'urlToken', 'apiKey'] as const) {
    if (typeof opts[k] !== 'string' || opts[k] === '') throw new TypeError(`simulator option ${k} must be a non-empty string`);
  }
  const scenario = opts.scenario ?? 'happy';
  if (!ScenarioName.safeParse(scenario).success) throw new RangeError(`unknown scenario "${scenario}"; valid: ${SCENARIOS.join(', ')}`);
  const positive = (name: string, v: number | undefined, dflt: number): number => {
    const n = v ?? dflt;
    if (!Number.isFinite(n) || n <= 0) throw new RangeError(`simulator option ${name} must be a positive number, got ${n}`);
    return n;
  };
  const rate = opts.managementRateLimit ?? { max: 1000, windowMs: 5 * 60_000 };
  return {
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    urlToken: opts.urlToken,
    apiKey: opts.apiKey,
    scenario,
    speed: validateSpeed(opts.speed ?? 1),
    tokenTtlSec: positive('tokenTtlSec', opts.tokenTtlSec, 3600),
    grantedScopes: [...(opts.grantedScopes ?? DEFAULT_SCOPES)],
    pingIntervalMs: positive('pingIntervalMs', opts.pingIntervalMs, 15_000),
    sendEndpointReady: opts.sendEndpointReady ?? true,
    managementRateLimit: { max: positive('managementRateLimit.max', rate.max, 1000), windowMs: positive('managementRateLimit.windowMs', rate.windowMs, 300_000) },
    socketAckTimeoutMs: positive('socketAckTimeoutMs', opts.socketAckTimeoutMs, 2000),
    socketTransports: socketTransports(opts.socketTransports),
    endpointBasePath: basePath(opts.endpointBasePath),
    flushOverrides: compileFlushOverrides(opts.flushOverrides ?? DEFAULT_FLUSH_OVERRIDES),
    webchatSettings: {
      collateStreamedOutputs: opts.webchatSettings?.collateStreamedOutputs ?? false,
      progressiveMessageRendering: opts.webchatSettings?.progressiveMessageRendering ?? false,
    },
    reconnectWaitMs: positive('reconnectWaitMs', opts.reconnectWaitMs, 30_000),
  };
}

function socketTransports(v: SimulatorOptions['socketTransports']): SimConfig['socketTransports'] {
  if (v === undefined) return 'any';
  if (v === 'any' || v === 'websocket' || v === 'polling') return v;
  throw new RangeError(`simulator option socketTransports must be any, websocket or polling, got ${JSON.stringify(v)}`);
}

/** `/cognigy/` → `/cognigy`; '' stays ''. Only plain path segments: the path becomes a route and a Socket.IO path. */
function basePath(v: string | undefined): string {
  if (v === undefined || v === '' || v === '/') return '';
  const trimmed = v.replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed)) throw new RangeError(`simulator option endpointBasePath must look like /path/to/endpoint, got ${JSON.stringify(v)}`);
  return trimmed;
}

/** Until the cassette format lands, `cassette` must already be an AnswerSource (anything with `plan`). */
function answerSource(cassette: unknown): AnswerSource {
  if (cassette === undefined) return createScriptedAnswers();
  if (typeof cassette === 'object' && cassette !== null && typeof (cassette as AnswerSource).plan === 'function') return cassette as AnswerSource;
  throw new TypeError('simulator option cassette must be an AnswerSource ({ plan(request) }) until recorded cassettes are supported');
}

export async function createSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer 0..65535, got ${port}`);
  const config = resolveConfig(opts);
  const closing = new AbortController();
  const statsListeners = new Set<() => void>();
  const ctx = createContext(config, answerSource(opts.cassette), closing.signal, opts.now, () => {
    for (const l of [...statsListeners]) l();
  });
  const limiter = createRateLimiter(config.managementRateLimit.max, config.managementRateLimit.windowMs);

  // The request handler must be registered before Socket.IO attaches: engine.io wraps existing listeners.
  const http = createServer(createRequestHandler(ctx, createIdempotencyStore(), limiter));
  const gateway = createGatewayStream(ctx);
  const socketEndpoint = attachSocketEndpoint(ctx, http);
  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === STREAM_PATH) gateway.handleUpgrade(req, socket, head);
    else if (path.startsWith(`${socketPathFor(config.endpointBasePath)}/`) && config.socketTransports === 'polling') {
      // A polling-only server refuses the WebSocket transport as engine.io does: 400 "Transport unknown".
      rejectUpgrade(socket, 400, 'Bad Request', { code: 0, message: 'Transport unknown' });
    } else if (!path.startsWith(`${socketPathFor(config.endpointBasePath)}/`)) rejectUpgrade(socket, 404, 'Not Found', { error: 'not_found', error_description: `no WebSocket endpoint at ${path}` });
    // else: engine.io (Socket.IO) handles it.
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, HOST, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    closing.abort();
    gateway.close();
    await socketEndpoint.close().catch(() => undefined);
    const message =
      e.code === 'EADDRINUSE'
        ? `port ${port} on ${HOST} is already in use (pick another with --port, or 0 for a free one)`
        : e.code === 'EACCES'
          ? `no permission to listen on ${HOST}:${port}`
          : `cannot listen on ${HOST}:${port}: ${e.message}`;
    throw new SimulatorListenError(message, e.code);
  }
  const actual = (http.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${actual}`,
    port: actual,
    stats: ctx.stats,
    variables: ctx.variables,
    contexts: ctx.contexts,
    socketInputs: ctx.socketInputs,
    socketPath: socketPathFor(config.endpointBasePath),
    revokeAllTokens: () => ctx.tokens.revokeAll(),
    failNext: (route, status, o) => ctx.failures.add(route, status, o),
    onStatsChange(listener) {
      statsListeners.add(listener);
      return () => statsListeners.delete(listener);
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        gateway.close();
        const done = socketEndpoint.close();
        http.closeAllConnections();
        await done;
      })();
      return closed;
    },
  };
}
