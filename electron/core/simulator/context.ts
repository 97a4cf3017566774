// The simulator's shared state, handed to every route: resolved options, counters, issued tokens, armed
// failures and what clients have written. One object per simulator instance: never module-level state,
// so two simulators in one process (tests) never see each other.
import type { ScenarioName } from '../../../shared/scenarios';
import type { AnswerSource } from './answers';
import { createFailureQueue, type FailureQueue } from './fail-next';
import { createTokenStore, type TokenStore } from './token-store';
import type { ReceivedInput, SimulatorStats } from './types';

export const DEFAULT_SCOPES = ['llm:stream', 'bot:dialog:write', 'api:access'] as const;

export interface SimConfig {
  clientId: string;
  clientSecret: string;
  urlToken: string;
  apiKey: string;
  scenario: ScenarioName;
  speed: number;
  tokenTtlSec: number;
  grantedScopes: string[];
  pingIntervalMs: number;
  sendEndpointReady: boolean;
  managementRateLimit: { max: number; windowMs: number };
  socketAckTimeoutMs: number;
  socketTransports: 'any' | 'websocket' | 'polling';
  /** '' or a path like `/cognigy` (no trailing slash). */
  endpointBasePath: string;
  flushOverrides: RegExp[];
  webchatSettings: { collateStreamedOutputs: boolean; progressiveMessageRendering: boolean };
  reconnectWaitMs: number;
}

export interface SimContext {
  config: SimConfig;
  stats: SimulatorStats;
  variables: Map<string, Array<{ name: string; value: unknown }>>;
  contexts: Map<string, Record<string, unknown>>;
  socketInputs: ReceivedInput[];
  /**
   * The users seen per session id on the Socket Endpoint (handshake and processInput). A context inject
   * must name one of them: an inject for another user or session would write into a session nobody is in.
   */
  endpointSessions: BoundedMap<string, Set<string>>;
  tokens: TokenStore;
  failures: FailureQueue;
  answers: AnswerSource;
  /** The last gateway config stored by PUT /api/v2/llm/gateway/config. */
  gatewayConfig: Record<string, unknown> | undefined;
  /**
   * `rate-limit` scenario: dialogs whose next variables POST, and sessions whose next context inject,
   * answer 429 once.
   */
  owed429: { dialogs: Set<string>; sessions: Set<string> };
  /** Aborted by close(): every pending wait and stream stops. */
  closing: AbortSignal;
}

/**
 * The counters, observable: every write notifies `onChange`, so a test (or the CLI's live stats) can wait on
 * the counter it cares about instead of sleeping. One level of nesting (`socketHandshakes`) is observed too.
 */
export function createStats(onChange: () => void = () => undefined): SimulatorStats {
  const observe = <T extends object>(target: T): T =>
    new Proxy(target, {
      set(obj, key, value) {
        const ok = Reflect.set(obj, key, value);
        onChange();
        return ok;
      },
    });
  const stats = {
    tokenRequests: 0,
    configPuts: 0,
    streams: 0,
    variablesRequests: 0,
    variablesApplied: 0,
    injectRequests: 0,
    injectsApplied: 0,
    injectsUnknownSession: 0,
    socketConnections: 0,
    socketOutputs: 0,
    socketFinalPings: 0,
    socketAcks: 0,
    socketAckTimeouts: 0,
    socketReadies: 0,
    socketOutputsLost: 0,
    socketUserTypingOn: 0,
    socketUserTypingOff: 0,
    socketHandshakes: observe({ polling: 0, websocket: 0 }),
    webchatSettingsRequests: 0,
    stalls: 0,
  };
  return observe(stats);
}

export function createContext(
  config: SimConfig,
  answers: AnswerSource,
  closing: AbortSignal,
  now?: () => number,
  onStatsChange?: () => void,
): SimContext {
  return {
    config,
    stats: createStats(onStatsChange),
    variables: new Map(),
    contexts: new Map(),
    socketInputs: [],
    endpointSessions: new BoundedMap(10_000),
    tokens: createTokenStore(now),
    failures: createFailureQueue(),
    answers,
    gatewayConfig: undefined,
    owed429: { dialogs: new Set(), sessions: new Set() },
    closing,
  };
}

/** A bounded map for per-key memory (attempt counts, idempotency keys) that must not grow without end. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

/** Records that `userId` spoke in `sessionId` on the Socket Endpoint. */
export function sawEndpointSession(ctx: SimContext, sessionId: string, userId: string): void {
  let users = ctx.endpointSessions.get(sessionId);
  if (!users) ctx.endpointSessions.set(sessionId, (users = new Set()));
  users.add(userId);
}
