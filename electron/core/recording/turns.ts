// Groups a flat event list (a cassette, or the events of a live run) into per-turn summaries: the texts,
// token sizes, hits, usage, timing and sync outcome that replay, diff and the app compare. Pure: no I/O.
import type {
  ErrorEvent,
  FilterHit,
  FrameIssueEvent,
  LeakEvent,
  SessionEvent,
  StructuredOutputEvent,
  SyncEvent,
  TokenUsage,
  TurnDamage,
  TurnEndEvent,
  UsageEvent,
  WebchatSettingsEvent,
  WebchatWarningEvent,
} from '../../../shared/events';
import { damageOf } from '../../../shared/turn-status';
import { countedUsage as countedOf } from '../../../shared/counted-usage';
import type { CassetteEvent, CassetteTokenEvent } from './cassette-schema';

export interface TokenSummary {
  index: number;
  at: number;
  /** Token text, when kept (text frames of an unredacted cassette). */
  text?: string;
  /** base64 bytes, when kept (binary frames of an unredacted cassette). */
  bytes?: string;
  /** Size in `unit`s: UTF-16 code units for text tokens, bytes for binary ones. */
  size: number;
  unit: 'utf16' | 'bytes';
  /** Socket endpoint: the streamed message (`_messageId`) the chunk belongs to. */
  messageId?: string;
}

/** How a recorded turn ended; `incomplete`: the recording stopped before the turn ended (no turn.end). */
export type TurnOutcome = TurnEndEvent['status'] | 'incomplete';

export interface TurnRecord {
  /** Position in the dialog, from 0. */
  index: number;
  turnId: string;
  input: string;
  scenario?: string;
  inputRedacted: boolean;
  status: TurnOutcome;
  cause?: string;
  /** What of the answer never arrived or could not be decoded (empty when nothing). */
  damage: TurnDamage[];
  /** Reassembled raw answer; null when not available (redacted cassette). */
  rawText: string | null;
  /** Released filtered answer; null when no filter ran. */
  filteredText: string | null;
  tokens: TokenSummary[];
  hits: FilterHit[];
  /** What the answer carried beside its text (quick replies, galleries, control commands, …), in order. */
  structured: StructuredOutputEvent[];
  usage?: UsageEvent;
  errors: ErrorEvent[];
  leaks: LeakEvent[];
  issues: FrameIssueEvent[];
  /** Last state per sync id. */
  syncs: SyncEvent[];
  ttftMs?: number;
  durationMs?: number;
  /** The Webchat preview of the turn, when one ran: the flags it used and its warnings. */
  webchat?: { settings: WebchatSettingsEvent; warnings: WebchatWarningEvent[] };
  events: Array<SessionEvent | CassetteEvent>;
}

/** What the end user got: the filtered text when a filter ran, else the raw text. */
export function answerText(t: TurnRecord): string {
  return t.filteredText ?? t.rawText ?? '';
}

/** The usage the session counts (reported when present, else estimated). */
export function countedUsage(u: UsageEvent | undefined): TokenUsage | undefined {
  return u ? countedOf(u) : undefined;
}

interface Acc {
  rec: TurnRecord;
  raw: Array<{ start: number; text: string }>;
  filtered: Array<{ start: number; text: string }>;
  syncs: Map<string, SyncEvent>;
}

function joinAt(parts: Array<{ start: number; text: string }>): string {
  let out = '';
  for (const p of [...parts].sort((a, b) => a.start - b.start)) {
    if (p.start >= out.length) out += p.text;
    else out = out.slice(0, p.start) + p.text + out.slice(p.start + p.text.length);
  }
  return out;
}

/** Raw text from the tokens themselves (used when no raw.text events were recorded). */
function textFromTokens(tokens: TokenSummary[]): string | null {
  const decoder = new TextDecoder('utf-8');
  let out = '';
  for (const t of tokens) {
    if (t.text !== undefined) {
      out += decoder.decode() + t.text;
    } else if (t.bytes !== undefined) {
      out += decoder.decode(Buffer.from(t.bytes, 'base64'), { stream: true });
    } else {
      return null;
    }
  }
  return out + decoder.decode();
}

export function summarizeTurns(events: ReadonlyArray<SessionEvent | CassetteEvent>): TurnRecord[] {
  const byId = new Map<string, Acc>();
  const order: Acc[] = [];
  const get = (turnId: string): Acc => {
    let acc = byId.get(turnId);
    if (!acc) {
      acc = {
        rec: {
          index: order.length,
          turnId,
          input: '',
          inputRedacted: false,
          status: 'incomplete',
          damage: [],
          rawText: null,
          filteredText: null,
          tokens: [],
          hits: [],
          structured: [],
          errors: [],
          leaks: [],
          issues: [],
          syncs: [],
          events: [],
        },
        raw: [],
        filtered: [],
        syncs: new Map(),
      };
      byId.set(turnId, acc);
      order.push(acc);
    }
    return acc;
  };

  for (const ev of events) {
    const acc = get(ev.turnId);
    const rec = acc.rec;
    rec.events.push(ev);
    switch (ev.type) {
      case 'turn.start':
        rec.input = ev.input;
        if (ev.scenario !== undefined) rec.scenario = ev.scenario;
        rec.inputRedacted = Boolean((ev as { inputRedacted?: boolean }).inputRedacted);
        break;
      case 'token': {
        const t = ev as CassetteTokenEvent;
        const s: TokenSummary = { index: t.index, at: t.at, size: 0, unit: t.origin.kind === 'binary' ? 'bytes' : 'utf16' };
        if (t.origin.messageId !== undefined) s.messageId = t.origin.messageId;
        if (t.text !== undefined) {
          s.text = t.text;
          s.size = t.text.length;
          s.unit = 'utf16';
        } else if (t.bytes !== undefined) {
          s.bytes = t.bytes;
          s.size = Buffer.from(t.bytes, 'base64').length;
          s.unit = 'bytes';
        } else if (t.byteLength !== undefined) {
          s.size = t.byteLength;
          s.unit = 'bytes';
        } else {
          s.size = t.textLength ?? 0;
        }
        rec.tokens.push(s);
        break;
      }
      case 'raw.text':
        acc.raw.push({ start: ev.start, text: ev.text });
        break;
      case 'filtered.text':
        acc.filtered.push({ start: ev.start, text: ev.text });
        rec.hits.push(...ev.hits);
        break;
      case 'usage':
        rec.usage = ev;
        break;
      case 'error':
        rec.errors.push(ev);
        break;
      case 'filter.leak':
        rec.leaks.push(ev);
        break;
      case 'frame.issue':
        rec.issues.push(ev);
        break;
      case 'sync':
        acc.syncs.set(ev.syncId, ev);
        break;
      case 'turn.end':
        rec.status = ev.status;
        if (ev.damage) rec.damage = ev.damage;
        if (ev.cause !== undefined) rec.cause = ev.cause;
        if (ev.ttftMs !== undefined) rec.ttftMs = ev.ttftMs;
        rec.durationMs = ev.durationMs;
        break;
      case 'output.structured':
        rec.structured.push(ev);
        break;
      case 'message.end':
        break;
      case 'webchat.settings':
        rec.webchat = { settings: ev, warnings: [] };
        break;
      case 'webchat.warning':
        rec.webchat?.warnings.push(ev);
        break;
    }
  }

  return order
    .filter((a) => a.rec.events.some((e) => e.type === 'turn.start'))
    .map((acc, index) => {
      const rec = acc.rec;
      rec.index = index;
      rec.rawText = acc.raw.length ? joinAt(acc.raw) : textFromTokens(rec.tokens);
      rec.filteredText = acc.filtered.length ? joinAt(acc.filtered) : null;
      rec.syncs = [...acc.syncs.values()];
      // Cassettes written before the damaged status called an answer with a gap "complete": the issues say.
      if (!rec.damage.length) rec.damage = damageOf(rec.issues);
      if (rec.status === 'complete' && rec.damage.length) rec.status = 'damaged';
      if (rec.ttftMs === undefined && rec.tokens[0]) rec.ttftMs = rec.tokens[0].at;
      return rec;
    });
}
