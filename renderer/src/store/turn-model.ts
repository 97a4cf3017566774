// The session's turns as the renderer keeps them, built from the event stream alone. Pure functions, no React.
// For long sessions (100k tokens) the per-token data lives in columns (plain arrays appended in place) and
// each changed turn gets a new object with a bumped `version`, so components re-render by version without
// copying 100k-element arrays at 60 batches a second. Nothing outside createTurnsBuilder may mutate a turn.
import type {
  Cause,
  ErrorEvent,
  FilterHit,
  FrameIssueEvent,
  LeakEvent,
  MessageEndEvent,
  RawTextEvent,
  SessionEvent,
  SyncEvent,
  TokenEvent,
  TurnEndEvent,
  UpstreamKind,
  UsageEvent,
} from '../../../shared/events';
import type { BatchEvent, TokenRawEvent } from '../../../shared/session-batch';
import { appendText, emptyText, fromString, sliceText, toString, type TextLines } from '../text/text-lines';
import { base64Length, utf8Length } from '../text/visible';
import { connectionIsRow, type LaneMark } from './lane-marks';
import { applyWebchatEvents, type WebchatEvent, type WebchatView } from './webchat-view';

export type TurnStatus = 'streaming' | TurnEndEvent['status'];

/** What reassembly did to make one raw.text span (the engine's facts, as the event carried them). */
export type SpanFacts = Pick<RawTextEvent, 'joined' | 'joinedFrom' | 'byteStart' | 'byteEnd' | 'separator'>;

/** Per-token columns, index = token index within the turn. */
export interface TokenColumns {
  at: number[];
  frame: number[];
  /** -1 when the frame had no seq. */
  seq: number[];
  binary: boolean[];
  /** UTF-8 bytes on the wire. */
  bytes: number[];
  /** The token's text (text frames) or its base64 (binary frames), exactly as it arrived. */
  payload: string[];
  messageId: Array<string | undefined>;
  /** Socket endpoint: the output's `source` (bot, agent, engagement); undefined on the gateway. */
  source: Array<string | undefined>;
}

export interface TurnData {
  turnId: string;
  /** 1-based position in the session. */
  ordinal: number;
  input: string;
  scenario?: string;
  environment: string;
  upstream: UpstreamKind;
  requestId: string;
  startedAt: string;
  status: TurnStatus;
  cause?: Cause;
  /** Reassembled raw text and released filtered text, as lines (see text-lines.ts). */
  raw: TextLines;
  filtered: TextLines;
  /** raw.text pieces: where each starts in `raw` and which token completed it. */
  spanStart: number[];
  spanToken: number[];
  /** Span index → what reassembly did for it; only spans with a fact (joined, bytes, separator) are present. */
  spanFacts: Map<number, SpanFacts>;
  tokens: TokenColumns;
  hits: FilterHit[];
  holdback: number;
  holdbackReason: string[];
  issues: FrameIssueEvent[];
  errors: ErrorEvent[];
  messageEnds: MessageEndEvent[];
  leaks: LeakEvent[];
  /**
   * What the dialog held beside the answer text, in arrival order, each at its raw-text position (see
   * lane-marks.ts). Appended in place, like the token columns (a flood of outputs must not copy it per event).
   */
  marks: LaneMark[];
  /** The source of the text so far (a mark is added where it changes); the connection broke during the turn. */
  textSource?: string;
  connectionBroke: boolean;
  usage?: UsageEvent;
  /** The Webchat preview (Socket Endpoint turns previewed in Webchat). */
  webchat?: WebchatView;
  end?: TurnEndEvent;
  /** Last event time (ms since turn start). */
  lastAt: number;
  version: number;
}

export interface TurnsState {
  order: string[];
  byId: Record<string, TurnData>;
}

export const EMPTY_TURNS: TurnsState = { order: [], byId: {} };

function newTurn(e: Extract<SessionEvent, { type: 'turn.start' }>, ordinal: number): TurnData {
  return {
    turnId: e.turnId,
    ordinal,
    input: e.input,
    scenario: e.scenario,
    environment: e.environment,
    upstream: e.upstream,
    requestId: e.requestId,
    startedAt: e.startedAt,
    status: 'streaming',
    raw: emptyText(),
    filtered: emptyText(),
    spanStart: [],
    spanToken: [],
    spanFacts: new Map(),
    tokens: { at: [], frame: [], seq: [], binary: [], bytes: [], payload: [], messageId: [], source: [] },
    hits: [],
    holdback: 0,
    holdbackReason: [],
    issues: [],
    errors: [],
    messageEnds: [],
    leaks: [],
    marks: [],
    connectionBroke: false,
    lastAt: 0,
    version: 0,
  };
}

/** Appends (or, if an event restates earlier text, rewrites from `start`). */
function write(t: TurnData, which: 'raw' | 'filtered', start: number, text: string): void {
  const cur = t[which];
  if (start === cur.length) {
    appendText(cur, text);
    return;
  }
  // Rare: text restated from an earlier offset (or a hole). Rebuild; readers of the old object keep theirs.
  const before = start < cur.length ? sliceText(cur, 0, start) : toString(cur) + '\uFFFD'.repeat(start - cur.length);
  t[which] = fromString(before + text);
}

/** The event lists of a turn that are replaced, never mutated, when they grow (see createTurnsBuilder). */
type ListField = 'hits' | 'issues' | 'errors' | 'messageEnds' | 'leaks';

export interface ApplyResult {
  turns: TurnsState;
  /** Sync events (they belong to the sync slice). */
  sync: SyncEvent[];
  /** Turn ids that changed. */
  changed: string[];
}

/** A token's columns (index = the token's index in the turn). */
function token(t: TurnData, e: TokenEvent | TokenRawEvent): void {
  const c = t.tokens;
  const i = e.index;
  c.at[i] = e.at;
  c.frame[i] = e.origin.frame;
  c.seq[i] = e.origin.seq ?? -1;
  c.binary[i] = e.origin.kind === 'binary';
  c.payload[i] = e.bytes ?? e.text ?? '';
  c.bytes[i] = e.bytes !== undefined ? base64Length(e.bytes) : utf8Length(e.text ?? '');
  c.messageId[i] = e.origin.messageId;
  c.source[i] = e.origin.source;
}

/** A raw text span with facts of its own (joined, byte range, separator), then the span. */
function rawText(t: TurnData, e: RawTextEvent): void {
  if (e.joined !== undefined || e.byteStart !== undefined || e.separator) {
    const f: SpanFacts = {};
    if (e.joined !== undefined) Object.assign(f, { joined: e.joined, joinedFrom: e.joinedFrom });
    if (e.byteStart !== undefined) Object.assign(f, { byteStart: e.byteStart, byteEnd: e.byteEnd });
    if (e.separator) f.separator = true;
    t.spanFacts.set(t.spanStart.length, f);
  }
  rawSpan(t, e.at, e.start, e.text, e.token);
}

/** A raw text span: a mark where the speaker changes, the text (a `token+raw` pair comes here directly). */
function rawSpan(t: TurnData, at: number, start: number, text: string, tokenIndex: number): void {
  // Who speaks: a live agent after a handover, an engagement message, the bot again.
  const source = t.tokens.source[tokenIndex] ?? 'bot';
  if (source !== (t.textSource ?? 'bot')) t.marks.push({ kind: 'source', at, position: start, source, frame: t.tokens.frame[tokenIndex] ?? 0 });
  t.textSource = source;
  t.spanStart.push(start);
  t.spanToken.push(tokenIndex);
  write(t, 'raw', start, text);
}

/**
 * Applies events one at a time to copies of the turns they touch (made on first touch, then mutated in place),
 * and publishes them all at once with `finish`: a frame's worth of events costs one copy per touched turn
 * and one version bump, however many events and batches it holds. Events of a turn not seen (e.g. the
 * window opened mid-turn) start a placeholder turn, so nothing that arrives is lost. A builder is used once:
 * after `finish` it must not be fed again.
 */
export interface TurnsBuilder {
  apply(e: BatchEvent): void;
  finish(): ApplyResult;
}

export function createTurnsBuilder(state: TurnsState): TurnsBuilder {
  const sync: SyncEvent[] = [];
  const touched = new Map<string, TurnData>();
  const webchat = new Map<TurnData, WebchatEvent[]>();
  let order = state.order;
  const byId = state.byId;
  // Consecutive events are nearly always of one turn: the last one looked up is kept at hand.
  let lastId: string | undefined;
  let last: TurnData | undefined;
  // The lists a view may hold by identity (the issues, the hits…) get a new array once per builder, then
  // grow in place: a frame with 500 releases carrying hits copies the hits once, not 500 times.
  const owned = new Map<TurnData, Set<ListField>>();
  const append = <K extends ListField>(t: TurnData, field: K, items: TurnData[K]): void => {
    let mine = owned.get(t);
    if (!mine) owned.set(t, (mine = new Set()));
    const list = t[field] as unknown[];
    if (mine.has(field)) {
      for (const x of items) list.push(x);
      return;
    }
    mine.add(field);
    t[field] = [...t[field], ...items] as TurnData[K];
  };

  const get = (turnId: string): TurnData => {
    if (turnId === lastId) return last!;
    let t = touched.get(turnId);
    if (!t) {
      const existing = byId[turnId];
      if (existing) {
        t = { ...existing };
      } else {
        t = newTurn({ type: 'turn.start', turnId, at: 0, sessionId: '', requestId: '', upstream: 'gateway', environment: '', input: '', startedAt: new Date().toISOString() }, order.length + 1);
        order = [...order, turnId];
      }
      touched.set(turnId, t);
    }
    lastId = turnId;
    last = t;
    return t;
  };

  const apply = (e: BatchEvent): void => {
    if (e.type === 'sync') {
      sync.push(e);
      return;
    }
    if (e.type === 'turn.start') {
      if (!byId[e.turnId] && !touched.has(e.turnId)) {
        touched.set(e.turnId, newTurn(e, order.length + 1));
        order = [...order, e.turnId];
        return;
      }
      const t = get(e.turnId);
      Object.assign(t, { input: e.input, scenario: e.scenario, environment: e.environment, upstream: e.upstream, requestId: e.requestId, startedAt: e.startedAt });
      return;
    }
    const t = get(e.turnId);
    if (e.at > t.lastAt) t.lastAt = e.at;
    switch (e.type) {
      case 'token':
        token(t, e);
        break;
      case 'token+raw':
        token(t, e);
        // The pair's raw text is the token's own (shared/session-batch.ts): no event object per token.
        rawSpan(t, e.at, e.rawStart, e.text ?? '', e.index);
        break;
      case 'raw.text':
        rawText(t, e);
        break;
      case 'filtered.text':
        write(t, 'filtered', e.start, e.text);
        if (e.hits.length) append(t, 'hits', e.hits);
        t.holdback = e.holdback;
        t.holdbackReason = e.holdbackReason;
        break;
      case 'frame.issue':
        append(t, 'issues', [e]);
        break;
      case 'message.end':
        append(t, 'messageEnds', [e]);
        break;
      case 'usage':
        t.usage = e;
        break;
      case 'error':
        append(t, 'errors', [e]);
        break;
      case 'filter.leak':
        append(t, 'leaks', [e]);
        break;
      // Events arrive in order, so the raw text's length now is where each happened.
      case 'output.structured':
        t.marks.push({ kind: 'structured', at: e.at, position: e.position, event: e });
        break;
      case 'typing':
        t.marks.push({ kind: 'typing', at: e.at, position: t.raw.length, event: e });
        break;
      case 'connection':
        t.marks.push({ kind: 'connection', at: e.at, position: e.position ?? t.raw.length, event: e, row: connectionIsRow(e, t.connectionBroke) });
        if (e.state === 'disconnected') t.connectionBroke = true;
        break;
      case 'webchat.settings':
      case 'webchat.bubble':
      case 'webchat.warning': {
        // Applied once per batch and turn, below.
        const list = webchat.get(t);
        if (list) list.push(e);
        else webchat.set(t, [e]);
        break;
      }
      case 'turn.end':
        t.end = e;
        t.status = e.status;
        t.cause = e.cause;
        t.holdback = 0;
        t.holdbackReason = [];
        break;
    }
  };

  return {
    apply,
    finish() {
      for (const [t, evs] of webchat) t.webchat = applyWebchatEvents(t.webchat, evs);
      if (touched.size === 0) return { turns: state, sync, changed: [] };
      const nextById = { ...byId };
      for (const [id, t] of touched) {
        t.version = (byId[id]?.version ?? -1) + 1;
        nextById[id] = t;
      }
      return { turns: { order, byId: nextById }, sync, changed: [...touched.keys()] };
    },
  };
}

/** Applies a batch of events at once (see createTurnsBuilder). */
export function applyEvents(state: TurnsState, events: readonly BatchEvent[]): ApplyResult {
  const b = createTurnsBuilder(state);
  for (const e of events) b.apply(e);
  return b.finish();
}

/** Index of the raw.text span holding raw offset `pos` (binary search; -1 before the first). */
export function spanAt(t: Pick<TurnData, 'spanStart'>, pos: number): number {
  let lo = 0;
  let hi = t.spanStart.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.spanStart[mid]! <= pos) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Maps a raw offset to the filtered text (outside hits: shifted by the replacements before it). */
export function rawToFiltered(hits: readonly FilterHit[], pos: number): number | undefined {
  let delta = 0;
  for (const h of hits) {
    if (h.rawEnd <= pos) delta += h.outEnd - h.outStart - (h.rawEnd - h.rawStart);
    else if (h.rawStart < pos) return undefined;
  }
  return pos + delta;
}
