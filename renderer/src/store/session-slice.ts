// session.*: the open session (one per window), its turns built from event batches, the composer's
// send/cancel. Batches are applied once per frame, in one state update: main sends at most 60 a second,
// and when a frame of the renderer takes longer than their spacing, the batches that arrived meanwhile are
// applied (and rendered) together instead of one render each — a renderer that renders per batch falls
// ever further behind a fast stream (a replay at full speed sends 20,000 tokens/s). A frame applies for at
// most APPLY_BUDGET_MS: what is left (a backlog after a stall, a tapped session's history) goes on in the
// next frames, in order, so no frame becomes a long task however much has arrived.
import type { UpstreamKind } from '../../../shared/events';
import { toIpcError, type DebuggerApi, type PushPayload } from '../../../shared/ipc';
import type { ScenarioName } from '../../../shared/scenarios';
import type { WebchatMode } from '../../../shared/webchat';
import { createTurnsBuilder, EMPTY_TURNS, type TurnsState } from './turn-model';
import { patch, type SliceCreator } from './types';
import { kindInfo } from '../../../shared/upstream-kinds';

export type SessionState = 'idle' | 'opening' | 'open' | 'error';

export interface ApplyStats {
  /** Frames that applied events, and of them those that left some for the next frame. */
  frames: number;
  sliced: number;
  /** Events applied by frames, and the time it took in all and in the longest frame (ms, on `now`). */
  events: number;
  ms: number;
  maxMs: number;
}

export interface SessionSlice {
  session: {
    state: SessionState;
    sessionId?: string;
    environment?: string;
    upstream?: UpstreamKind;
    error?: string;
    turns: TurnsState;
    /** The turn that is streaming now. */
    activeTurnId?: string;
    /** A send is on its way (before turn.start came back). */
    sending: boolean;
    /** The last batch number seen (a gap would mean lost events; the transport preserves order). */
    lastBatch: number;
    batches: number;
    /** Last scenario picked in the composer (demo). */
    scenario: ScenarioName;
    /** The session shows a tapped connection: its turns come from the developer's own frontend. */
    tapped: boolean;
    /** How Socket Endpoint turns are previewed in Webchat (`off`: not at all). */
    webchatMode: WebchatMode | 'off';
    /** Socket Endpoint sessions: send the user's typing state with each input, as Webchat does (off by default, as the CLI's `--typing`). */
    userTyping: boolean;
    open(environment: string): Promise<void>;
    /** Shows a tapped connection's session in this window (tap.*). */
    watchTapped(connectionId: string, environment: string): Promise<void>;
    send(input: string): Promise<boolean>;
    cancel(): Promise<void>;
    setScenario(s: ScenarioName): void;
    setWebchatMode(m: WebchatMode | 'off'): void;
    setUserTyping(on: boolean): void;
    /** Queues a batch; it is applied at the next frame (see SessionSliceOptions.frame). */
    applyBatch(payload: PushPayload<'main:session.events'>): void;
    /**
     * Applies the queued batches in order, in one state update: all of them, or (`budgeted`, what a frame does)
     * for about APPLY_BUDGET_MS, the rest in the next frame.
     */
    flushBatches(budgeted?: boolean): void;
    /** What the frames spent applying events so far (diagnostics: the `ui` bench prints it). */
    applyStats(): ApplyStats;
    clear(): void;
  };
}

export interface SessionSliceOptions {
  /**
   * Calls `flush` once before the next frame is drawn (the app: requestAnimationFrame, see frame.ts).
   * Absent: at once, so each batch is its own update (tests that push a batch and read the state).
   */
  frame?: (flush: () => void) => void;
  /** The clock a frame's budget is measured on (ms; performance.now). Tests pass their own. */
  now?: () => number;
  /** A frame's budget for applying events (APPLY_BUDGET_MS). */
  budgetMs?: number;
}

/**
 * How long one frame may spend applying events. The frame also renders what they changed, and 50 ms makes a
 * long task: a few ms leave room for that, and are still ~5,000 tokens per frame, far above any live stream.
 */
export const APPLY_BUDGET_MS = 8;
/** Events applied between two looks at the clock (reading it costs more than applying one event). */
const CLOCK_EVERY = 64;

export const createSessionSlice =
  (api: DebuggerApi, opts: SessionSliceOptions = {}): SliceCreator<SessionSlice> =>
  (set, get) => {
    const session = (value: Partial<SessionSlice['session']>) => set(patch('session', value));
    let opening = 0;
    /**
     * Batches that arrive while the session is opening, before its id is known: a watched tapped session's
     * history can come before the reply that names it. Applied in order once the id is known.
     */
    let early: Array<PushPayload<'main:session.events'>> = [];
    /** Batches received and not yet applied, in arrival order; the first one's events from `offset` on. */
    const queued: Array<PushPayload<'main:session.events'>> = [];
    let offset = 0;
    const now = opts.now ?? (() => performance.now());
    const budget = opts.budgetMs ?? APPLY_BUDGET_MS;
    const stats: ApplyStats = { frames: 0, sliced: 0, events: 0, ms: 0, maxMs: 0 };
    /** A frame is asked for and has not run yet (one at a time, whatever arrives meanwhile). */
    let frameAsked = false;
    const askFrame = () => {
      frameAsked = true;
      opts.frame!(() => {
        frameAsked = false;
        get().session.flushBatches(true);
      });
    };
    /** Opens a session of the window's own, or makes a tapped connection's session this window's. */
    const attach = async (environment: string, tapped: boolean, call: () => Promise<{ sessionId: string; environment: string; upstream: UpstreamKind }>) => {
      const ticket = ++opening;
      early = [];
      session({ state: 'opening', environment, tapped, error: undefined, sessionId: undefined, turns: EMPTY_TURNS, activeTurnId: undefined, lastBatch: -1 });
      get().ui.select(undefined);
      get().sync.reset();
      try {
        const r = await call();
        if (ticket !== opening) return;
        session({ state: 'open', sessionId: r.sessionId, environment: r.environment, upstream: r.upstream });
        for (const p of early.splice(0)) if (p.sessionId === r.sessionId) get().session.applyBatch(p);
        // A relay that ran in the previous session stopped with it.
        if (get().relay.status.running) void get().relay.load();
      } catch (err) {
        if (ticket !== opening) return;
        session({ state: 'error', error: toIpcError(err).message });
      }
    };
    return {
      session: {
        state: 'idle',
        tapped: false,
        turns: EMPTY_TURNS,
        sending: false,
        lastBatch: -1,
        batches: 0,
        scenario: 'happy',
        webchatMode: 'endpoint',
        userTyping: false,
        open: (environment) => attach(environment, false, () => api.invoke('renderer:session.open', { environment })),
        watchTapped: (connectionId, environment) => attach(environment, true, () => api.invoke('renderer:tap.watch', { connectionId })),
        async send(input) {
          get().session.flushBatches();
          const s = get().session;
          if (!s.sessionId || s.sending || s.activeTurnId) return false;
          const demo = s.environment === 'demo';
          session({ sending: true, error: undefined });
          try {
            const socket = s.upstream !== undefined && kindInfo(s.upstream).webchat;
            const webchat = socket && s.webchatMode !== 'off' ? s.webchatMode : undefined;
            const { turnId } = await api.invoke('renderer:turn.start', {
              sessionId: s.sessionId,
              input,
              ...(demo ? { scenario: s.scenario } : {}),
              ...(webchat ? { webchat } : {}),
              ...(socket && s.userTyping ? { userTyping: true } : {}),
            });
            // The turn may already have ended (fast answers) before the reply: then it is not active.
            get().session.flushBatches();
            const t = get().session.turns.byId[turnId];
            session({ sending: false, activeTurnId: t && t.status !== 'streaming' ? undefined : turnId });
            get().ui.select(turnId);
            return true;
          } catch (err) {
            session({ sending: false, error: toIpcError(err).message });
            return false;
          }
        },
        async cancel() {
          const { sessionId } = get().session;
          if (!sessionId) return;
          try {
            await api.invoke('renderer:turn.cancel', { sessionId });
          } catch (err) {
            session({ error: toIpcError(err).message });
          }
        },
        setWebchatMode(webchatMode) {
          session({ webchatMode });
        },
        setUserTyping(userTyping) {
          session({ userTyping });
        },
        setScenario(scenario) {
          session({ scenario });
        },
        applyBatch(payload) {
          queued.push(payload);
          if (!opts.frame) return get().session.flushBatches();
          if (!frameAsked) askFrame();
        },
        flushBatches(budgeted = false) {
          if (!queued.length) return;
          const s = get().session;
          const t0 = budgeted ? now() : 0;
          const deadline = budgeted ? t0 + budget : Infinity;
          const builder = createTurnsBuilder(s.turns);
          let lastBatch = s.lastBatch;
          let applied = 0;
          let used = 0;
          let outOfTime = false;
          while (queued.length && !outOfTime) {
            const payload = queued[0]!;
            if (s.state === 'opening' && s.sessionId === undefined) {
              early.push(queued.shift()!);
              offset = 0;
              continue;
            }
            if (payload.sessionId !== s.sessionId) {
              queued.shift();
              offset = 0;
              continue;
            }
            const events = payload.events;
            while (offset < events.length) {
              builder.apply(events[offset++]!);
              // Always some progress; then the clock decides (every CLOCK_EVERY events).
              if (++used % CLOCK_EVERY === 0 && budgeted && now() >= deadline) {
                outOfTime = true;
                break;
              }
            }
            if (offset < events.length) break;
            queued.shift();
            offset = 0;
            lastBatch = payload.batch;
            applied++;
          }
          // What is left goes on in the next frame.
          if (queued.length && opts.frame && !frameAsked) askFrame();
          if (!used && !applied) return;
          const { turns, sync, changed } = builder.finish();
          let activeTurnId = s.activeTurnId;
          for (const id of changed) {
            const t = turns.byId[id];
            if (t?.status === 'streaming') activeTurnId = id;
            else if (t && activeTurnId === id) activeTurnId = undefined;
          }
          // One state update per frame (session and, when following, the selected turn together).
          const newest = turns.order[turns.order.length - 1];
          set((st) => {
            const follow = Boolean(newest && st.ui.follow && st.ui.selectedTurnId !== newest);
            return {
              session: { ...st.session, turns, activeTurnId, lastBatch, batches: st.session.batches + applied },
              ...(follow ? { ui: { ...st.ui, selectedTurnId: newest, selection: undefined } } : {}),
            };
          });
          if (sync.length) get().sync.apply(sync);
          if (budgeted) {
            const ms = now() - t0;
            stats.frames++;
            if (queued.length) stats.sliced++;
            stats.events += used;
            stats.ms += ms;
            stats.maxMs = Math.max(stats.maxMs, ms);
          }
        },
        applyStats: () => ({ ...stats }),
        clear() {
          session({ turns: EMPTY_TURNS, activeTurnId: undefined });
          get().ui.select(undefined);
        },
      },
    };
  };
