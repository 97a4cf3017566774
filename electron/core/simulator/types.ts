// The simulator's public contract (INTERFACES.md § Simulator). Types only: the behaviour lives in the
// one-concept files next to this one. Must never grow options that make the simulator listen beyond loopback.
import type { ScenarioName } from '../../../shared/scenarios';

export interface SimulatorOptions {
  /** 0 or absent = a free port. The server always binds 127.0.0.1. */
  port?: number;
  clientId: string;
  clientSecret: string;
  urlToken: string;
  apiKey: string;
  /** Default scenario, 'happy' when absent; a client may pick one per turn. */
  scenario?: ScenarioName;
  /** 1 = realistic pacing (default), 0 = as fast as possible, 2 = twice as fast. */
  speed?: number;
  /** Lifetime of issued access tokens in seconds; default 3600. */
  tokenTtlSec?: number;
  /** The clock token lifetimes are measured by (ms since the epoch); default Date.now. Tests move it. */
  now?: () => number;
  /** Scopes the OAuth client may be granted; default ['llm:stream','bot:dialog:write','api:access']. */
  grantedScopes?: string[];
  /** WebSocket ping interval of the gateway stream; default 15000. */
  pingIntervalMs?: number;
  /** Socket endpoint: emit `endpoint-ready` after connecting (Cognigy.AI >= 4.79); default true. */
  sendEndpointReady?: boolean;
  /** Later (QA issue): serve recorded answers. Must be an `AnswerSource` until the cassette format lands. */
  cassette?: unknown;
  /** Management API rate limit per client; default 1,000 requests per 5 minutes (shared SaaS limit). */
  managementRateLimit?: { max: number; windowMs: number };
  /** How long a Socket.IO ack may take before it counts as missing; default 2000 (Cognigy's value). */
  socketAckTimeoutMs?: number;
  /**
   * Socket endpoint: the transports the server offers. `any` (default): polling with upgrade and WebSocket;
   * `websocket`: WebSocket only (a polling request is refused); `polling`: polling only, no upgrade.
   */
  socketTransports?: 'any' | 'websocket' | 'polling';
  /**
   * Socket endpoint under a sub-path, as on-premise installs: `/cognigy` serves Socket.IO at
   * `/cognigy/socket.io` (nothing at `/socket.io`) and the endpoint URL is `/cognigy/<URLToken>`. Default ''.
   */
  endpointBasePath?: string;
  /** Stream Buffer Flush Overrides (regex sources, `$` added); default DEFAULT_FLUSH_OVERRIDES. */
  flushOverrides?: string[];
  /** What the Webchat settings request (GET on the endpoint URL) answers in `settings.behavior`; both default false. */
  webchatSettings?: { collateStreamedOutputs?: boolean; progressiveMessageRendering?: boolean };
  /** `reconnect` scenario: how long the flow waits for the session to reconnect before giving up; default 30 000. */
  reconnectWaitMs?: number;
}

export interface SimulatorStats {
  tokenRequests: number;
  configPuts: number;
  /** Gateway stream WebSocket handshakes that were accepted. */
  streams: number;
  variablesRequests: number;
  variablesApplied: number;
  injectRequests: number;
  injectsApplied: number;
  /** Injects refused because no Socket Endpoint session of that id and user was ever seen. */
  injectsUnknownSession: number;
  socketConnections: number;
  /** Socket endpoint: `output` events emitted (each with an ack callback). */
  socketOutputs: number;
  /** Socket endpoint: `finalPing` events emitted (each with an ack callback). */
  socketFinalPings: number;
  /** Socket endpoint: acks received for `output` and `finalPing` events. */
  socketAcks: number;
  /** Socket endpoint: `output`/`finalPing` events whose ack did not arrive within socketAckTimeoutMs. */
  socketAckTimeouts: number;
  /** Socket endpoint: `endpoint-ready` events sent (one per accepted connection unless disabled). */
  socketReadies: number;
  /** Socket endpoint: outputs the flow produced while the session had no connected socket (lost). */
  socketOutputsLost: number;
  /** Socket endpoint: `typingStatus` events the clients sent (the user's typing state). */
  socketUserTypingOn: number;
  socketUserTypingOff: number;
  /** Engine.IO handshakes by the transport they opened with (a polling one may upgrade later). */
  socketHandshakes: { polling: number; websocket: number };
  /** Webchat settings requests (GET on the endpoint URL). */
  webchatSettingsRequests: number;
  /** Turns (gateway or socket endpoint) that went silent for good: the `stall` scenario's point of no return. */
  stalls: number;
}

/** One `processInput` as the simulator received it (the last SOCKET_INPUTS_KEPT are kept). */
export interface ReceivedInput {
  sessionId: string;
  payload: Record<string, unknown>;
}

export type FailRoute = 'token' | 'config' | 'variables' | 'inject' | 'stream-handshake';

export interface Simulator {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  stats: SimulatorStats;
  /** Last applied variables per dialog id. */
  variables: Map<string, Array<{ name: string; value: unknown }>>;
  /** Merged injected context per session id. */
  contexts: Map<string, Record<string, unknown>>;
  /** The last `processInput` payloads received, oldest first (bounded). */
  socketInputs: ReceivedInput[];
  /** The Socket.IO path clients must use: `<endpointBasePath>/socket.io`. */
  socketPath: string;
  /** Every token issued so far is now invalid (401). */
  revokeAllTokens(): void;
  /** The next `times` (default 1) requests to `route` fail with `status` (and `Retry-After` when given). */
  failNext(route: FailRoute, status: number, opts?: { retryAfter?: string; times?: number }): void;
  /** Called after every change to `stats`; returns the unsubscribe. Lets a waiter wait on the event, not a timer. */
  onStatsChange(listener: () => void): () => void;
  close(): Promise<void>;
}
