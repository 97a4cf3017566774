// What a turn is given (TurnContext) and what it answers (TurnSummary): the contract between the session
// engine, which opens upstreams and owns the sync, and the turn runner (turn-runner.ts).
import type { Environment } from '../../../shared/environment';
import type { Cause, FilterAction, SessionEvent, TurnDamage, TurnStatus, UsageEvent, WebchatWarningEvent } from '../../../shared/events';
import type { FallbackMessages } from '../fallbacks';
import type { CompiledPolicy } from '../filters';
import type { SyncOutcome } from '../sync/types';
import type { Upstream } from '../upstreams/upstream';
import type { ResolvedWebchat } from '../webchat/webchat-settings';
import type { SessionIdentity } from '../upstreams/session-identity';
import type { StoredSync, SyncRequest } from './sync-service';

export interface TurnSummary {
  turnId: string;
  requestId: string;
  status: TurnStatus;
  cause?: Cause;
  /** What of the answer never arrived or could not be decoded (empty when nothing). */
  damage: TurnDamage[];
  error?: string;
  rawText: string;
  filteredText: string;
  usage?: UsageEvent;
  fallback?: string;
  ttftMs?: number;
  durationMs: number;
  tokenCount: number;
  /** Arrival of each token (ms since the turn started): what Timing figures are computed from. */
  tokenAt: number[];
  /** How often each detector acted, by type and action (positions are in the events; values nowhere). */
  hits: Array<{ type: string; action: FilterAction; count: number }>;
  leak: boolean;
  /** Resolves when the answer's sync has ended (synced / failed / pending); undefined when nothing is synced. */
  sync?: Promise<SyncOutcome>;
  /** Set when the write-back could not even be stored in the outbox (file and reason): it is not safe. */
  syncError?: string;
  /** The Webchat preview, when one was asked for (Socket Endpoint turns): what each bubble shows, and the warnings. */
  webchat?: { settings: ResolvedWebchat; bubbles: string[]; warnings: WebchatWarningEvent[] };
}

export interface TurnContext {
  environment: Environment;
  upstream: Upstream;
  /** Who the session is upstream (decided once): the turn and its write-back both name it. */
  identity: SessionIdentity;
  input: string;
  scenario?: string;
  repeat?: number;
  userTyping?: boolean;
  signal: AbortSignal;
  abort(): void;
  compiled: CompiledPolicy;
  hashSalt: string;
  fallbacks: FallbackMessages;
  idleTimeoutMs?: number;
  maxRateLimitAttempts: number;
  emit(e: SessionEvent): void;
  /** Stores the answer's write-back (resolves once it is on disk); undefined when there is nowhere to sync. */
  sync?: (req: SyncRequest) => Promise<StoredSync> | undefined;
  /** Render a Webchat preview of the filtered stream with these flags (Socket Endpoint turns only). */
  webchat?: ResolvedWebchat;
  /** Clock (ms) the filter budget is measured with; default performance.now. */
  filterClock?: () => number;
  /** Longest one filter step may take before the turn is ended blocked; default FILTER_BUDGET_MS. */
  filterBudgetMs?: number;
}
