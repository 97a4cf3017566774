// The session engine: one per window (app) or per command (CLI). It runs turns against the environment's
// upstream and pushes everything through the one-way pipeline
//   upstream → normalized events → reassembly → filter → session events → subscribers (IPC, CLI, recorder)
// and hands finished answers to the sync engine. It never touches Electron and never emits a secret.
import { randomUUID } from 'node:crypto';
import type { Environment } from '../../../shared/environment';
import { kindInfo } from '../../../shared/upstream-kinds';
import type { Policy } from '../../../shared/policy';
import type { SessionEvent, TokenUsage } from '../../../shared/events';
import { DEFAULT_FALLBACKS, type FallbackMessages } from '../fallbacks';
import { compilePolicy, type CompiledPolicy } from '../filters';
import type { SecretStore } from '../secrets/secret-store';
import type { SyncOutcome } from '../sync/types';
import { encodingForModel, loadTokenizer } from '../usage/encoding';
import { createUsageTotals } from '../usage/session-totals';
import { withUpstream } from '../upstreams/registry';
import type { Upstream } from '../upstreams/upstream';
import { UpstreamError } from '../upstreams/upstream-error';
import { resolveWebchat, type ResolvedWebchat } from '../webchat/webchat-settings';
import type { WebchatMode } from '../../../shared/webchat';
import { decideSessionIdentity, type GivenIdentity, type SessionIdentity } from '../upstreams/session-identity';
import { runTurn } from './turn-runner';
import type { TurnSummary } from './turn-context';
import type { SyncService } from './sync-service';

export type { TurnSummary } from './turn-context';

export interface SessionEngineOptions {
  environment: Environment;
  secrets: SecretStore;
  /** Filter policy; absent = default (mask every type). */
  policy?: Policy;
  /** Pre-compiled policy (wins over `policy`); lets many sessions share one compiled matcher set. */
  compiledPolicy?: CompiledPolicy;
  fallbacks?: FallbackMessages;
  idleTimeoutMs?: number;
  /** Where finished answers are synced; absent = no sync. */
  sync?: SyncService;
  /** Attempts for a turn refused with 429/1013 before any token arrived. Default 3. */
  maxRateLimitAttempts?: number;
  /** Runs the turns instead of the environment's own upstream (the tap observes a frontend's connection). */
  upstream?: Upstream;
  /** Ids the caller already knows (the tap: the frontend's); the rest is decided by decideSessionIdentity. */
  identity?: GivenIdentity;
  /** Clock and budget of one filter step (see turn-runner FILTER_BUDGET_MS); injected by tests. */
  filterClock?: () => number;
  filterBudgetMs?: number;
}

export interface StartTurnOptions {
  input: string;
  scenario?: string;
  /** Simulator extension (benchmarks): repeat the answer body N times. */
  repeat?: number;
  /** Socket endpoint: send the user's typing state with the input (off by default). */
  userTyping?: boolean;
  signal?: AbortSignal;
  /** Render a Webchat preview with a preset's flags or the endpoint's own (Socket Endpoint environments). */
  webchat?: WebchatMode;
}

export interface OutboxCounts {
  pending: number;
  failed: number;
}

export interface SessionTotals {
  turns: number;
  reported: TokenUsage | null;
  estimated: TokenUsage;
  counted: TokenUsage;
}

export interface SessionEngine {
  /** The current dialog's session id (a new one after newDialog()). */
  readonly sessionId: string;
  /** Who the current dialog is upstream: its live connection and every write-back use it. */
  readonly identity: SessionIdentity;
  readonly environment: Environment;
  subscribe(listener: (e: SessionEvent) => void): () => void;
  /** Runs one turn; resolves when it has ended (whatever the status). Only one turn at a time. */
  startTurn(opts: StartTurnOptions): Promise<TurnSummary>;
  /** Cancels the running turn, if any. */
  cancelTurn(): void;
  retrySync(syncId: string): Promise<void>;
  /** What the outbox holds: syncs still to go through and syncs the server refused (both need attention). */
  outboxCounts(): OutboxCounts;
  totals(): SessionTotals;
  /**
   * Ends the current dialog and starts a new one in this session: a fresh session id and user (unless the
   * environment names them), fresh usage totals and `hash` pseudonyms, so nothing of one dialog carries into
   * the next (replay: one dialog per cassette). Policy, settings, subscribers and sync stay. Refused while a
   * turn runs.
   */
  newDialog(): Promise<void>;
  close(): Promise<void>;
}

/** The upstream of one session, opened by its kind's descriptor. */
export function createUpstream(env: Environment, secrets: SecretStore, identity: SessionIdentity): Upstream {
  return withUpstream(env, (d, e) => d.open(e, secrets, identity));
}

export function createSessionEngine(opts: SessionEngineOptions): SessionEngine {
  const env = opts.environment;
  // What belongs to one dialog: who it is upstream, its pseudonyms and its totals (newDialog() replaces it).
  const startDialog = () => {
    const identity = decideSessionIdentity(env, opts.identity);
    return {
      identity,
      upstream: opts.upstream ?? createUpstream(env, opts.secrets, identity),
      // A stable pseudonym per dialog for the `hash` action: same value → same pseudonym in this dialog only.
      hashSalt: randomUUID(),
      usageTotals: createUsageTotals(),
    };
  };
  let dialog = startDialog();
  const compiled = opts.compiledPolicy ?? compilePolicy(opts.policy);
  const fallbacks = opts.fallbacks ?? DEFAULT_FALLBACKS;
  const listeners = new Set<(e: SessionEvent) => void>();
  let running: { controller: AbortController; done: Promise<TurnSummary> } | undefined;
  let closed = false;
  // Webchat reads its settings once, when it loads: one request per session, not per turn.
  let endpointWebchat: Promise<ResolvedWebchat> | undefined;
  const webchatFor = (mode: WebchatMode | undefined, signal: AbortSignal): Promise<ResolvedWebchat | undefined> => {
    if (!mode || !kindInfo(env.kind).webchat) return Promise.resolve(undefined);
    if (mode !== 'endpoint') return resolveWebchat(env, mode);
    endpointWebchat ??= resolveWebchat(env, mode, { signal }).catch((err: unknown) => {
      endpointWebchat = undefined;
      throw err;
    });
    return endpointWebchat;
  };

  const emit = (e: SessionEvent) => {
    if (e.type === 'usage') dialog.usageTotals.add(e);
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A broken subscriber must not break the stream for the others.
      }
    }
  };
  const unsubscribeSync = opts.sync?.subscribe((e) => emit(e));
  // Loading a tokenizer takes 100-200 ms: do it now, not at the end of the first answer.
  const warm = setTimeout(() => loadTokenizer(encodingForModel(env.model.model)), 0);
  warm.unref?.();

  async function startTurn(o: StartTurnOptions): Promise<TurnSummary> {
    if (closed) throw new UpstreamError('internal', 'the session is closed');
    if (running) throw new UpstreamError('bad_request', 'a turn is already running in this session: cancel it or wait for it to end');
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    o.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (o.signal?.aborted) controller.abort();
    const done = (async () => runTurn({
      environment: env,
      upstream: dialog.upstream,
      identity: dialog.identity,
      input: o.input,
      scenario: o.scenario,
      repeat: o.repeat,
      userTyping: o.userTyping,
      signal: controller.signal,
      abort: () => controller.abort(),
      compiled,
      hashSalt: dialog.hashSalt,
      fallbacks,
      idleTimeoutMs: opts.idleTimeoutMs,
      maxRateLimitAttempts: opts.maxRateLimitAttempts ?? 3,
      emit,
      sync: opts.sync ? (job) => opts.sync!.enqueue(job, env, opts.secrets) : undefined,
      filterClock: opts.filterClock,
      filterBudgetMs: opts.filterBudgetMs,
      webchat: await webchatFor(o.webchat, controller.signal).catch(() => undefined),
    }))().finally(() => {
      o.signal?.removeEventListener('abort', onOuterAbort);
      running = undefined;
    });
    running = { controller, done };
    return done;
  }

  return {
    get sessionId() {
      return dialog.identity.sessionId;
    },
    get identity() {
      return dialog.identity;
    },
    environment: env,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    startTurn,
    cancelTurn() {
      running?.controller.abort();
    },
    async retrySync(syncId) {
      await opts.sync?.retryNow(syncId);
    },
    outboxCounts() {
      return { pending: opts.sync?.pending() ?? 0, failed: opts.sync?.failed() ?? 0 };
    },
    totals() {
      return dialog.usageTotals.totals();
    },
    async newDialog() {
      if (closed) throw new UpstreamError('internal', 'the session is closed');
      if (running) throw new UpstreamError('bad_request', 'a turn is running in this session: cancel it or wait for it to end before starting a new dialog');
      const previous = dialog;
      dialog = startDialog();
      endpointWebchat = undefined; // a new dialog is a new Webchat page: it reads its settings again
      // An injected upstream (the tap) belongs to the caller; an own one goes with its dialog.
      if (previous.upstream !== dialog.upstream) await previous.upstream.close();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(warm);
      running?.controller.abort();
      await running?.done.catch(() => undefined);
      unsubscribeSync?.();
      await dialog.upstream.close();
    },
  };
}

export type { SyncOutcome };
