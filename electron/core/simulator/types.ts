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
  socketConnections: number;
  /** Socket endpoint: `output` events emitted (each with an ack callback). */
  socketOutputs: number;
  /** Socket endpoint: `finalPing` events emitted (each with an ack callback). */
  socketFinalPings: number;
  /** Socket endpoint: acks received for `output` and `finalPing` events. */
  socketAcks: number;
  /** Socket endpoint: `output`/`finalPing` events whose ack did not arrive within socketAckTimeoutMs. */
  socketAckTimeouts: number;
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
  /** Every token issued so far is now invalid (401). */
  revokeAllTokens(): void;
  /** The next `times` (default 1) requests to `route` fail with `status` (and `Retry-After` when given). */
  failNext(route: FailRoute, status: number, opts?: { retryAfter?: string; times?: number }): void;
  close(): Promise<void>;
}
