// The one turn-status model: how a turn's end is decided, what each status means, and how damage (parts of
// an answer that never arrived or could not be decoded) is counted and named. Core decides with it; the
// lanes, the CLI, the relay, replay and JUnit describe with it, so no face can call a damaged answer whole.
// Pure functions over event data only.
import { DAMAGE_KINDS, type Cause, type DamageKind, type FrameIssueEvent, type TurnDamage, type TurnStatus } from './events';

export interface TurnStatusInfo {
  label: string;
  /** The end user got the whole answer: only then is it written back into the dialog or a green baseline. */
  whole: boolean;
  /** How a face should colour it: cancelling is the user's own act, never styled as an error. */
  tone: 'ok' | 'warn' | 'error' | 'neutral';
  /** One line for help texts and the README. */
  meaning: string;
}

export const TURN_STATUS_INFO: Record<TurnStatus, TurnStatusInfo> = {
  complete: { label: 'complete', whole: true, tone: 'ok', meaning: 'the upstream ended the answer and every part of it arrived intact' },
  damaged: { label: 'damaged', whole: false, tone: 'warn', meaning: 'the upstream ended the answer, but parts of it never arrived or could not be decoded' },
  partial: { label: 'partial', whole: false, tone: 'warn', meaning: 'the stream broke off after part of the answer arrived' },
  failed: { label: 'failed', whole: false, tone: 'error', meaning: 'the stream broke off before any of the answer arrived' },
  cancelled: { label: 'cancelled', whole: false, tone: 'neutral', meaning: 'you stopped the turn' },
  blocked: { label: 'blocked', whole: false, tone: 'warn', meaning: 'the filter policy stopped the answer; the end user got the released text, then the fallback' },
};

const DAMAGE_LABELS: Record<DamageKind, { one: string; many: string }> = {
  'seq-gap': { one: 'sequence gap (frames never received)', many: 'sequence gaps (frames never received)' },
  'invalid-utf8': { one: 'undecodable byte sequence (shown as U+FFFD)', many: 'undecodable byte sequences (shown as U+FFFD)' },
  'lone-surrogate': { one: 'broken character (shown as U+FFFD)', many: 'broken characters (shown as U+FFFD)' },
  'connection-lost': { one: 'connection break mid-answer (outputs sent meanwhile are lost)', many: 'connection breaks mid-answer (outputs sent meanwhile are lost)' },
};

const isDamageKind = (k: string): k is DamageKind => (DAMAGE_KINDS as readonly string[]).includes(k);

/** Counts the damage among a turn's frame issues (in the order the kinds are declared). */
export function damageOf(issues: ReadonlyArray<Pick<FrameIssueEvent, 'kind' | 'position'>>): TurnDamage[] {
  const by = new Map<DamageKind, TurnDamage>();
  for (const i of issues) {
    if (!isDamageKind(i.kind)) continue;
    const d = by.get(i.kind);
    if (d) {
      d.count++;
      if (i.position !== undefined) d.firstPosition = Math.min(d.firstPosition, i.position);
    } else by.set(i.kind, { kind: i.kind, count: 1, firstPosition: i.position ?? 0 });
  }
  return DAMAGE_KINDS.flatMap((k) => (by.has(k) ? [by.get(k)!] : []));
}

/** "1 sequence gap (frames never received), 2 broken characters (shown as U+FFFD)"; '' when undamaged. */
export function describeDamage(damage: readonly TurnDamage[] | undefined): string {
  return (damage ?? []).map((d) => `${d.count} ${d.count === 1 ? DAMAGE_LABELS[d.kind].one : DAMAGE_LABELS[d.kind].many}`).join(', ');
}

export interface TurnOutcomeFacts {
  /** Why it ended early; undefined when the upstream ended it normally. */
  failure?: Cause;
  /** The local filter policy blocked it. */
  blocked: boolean;
  tokenCount: number;
  damage: readonly TurnDamage[];
}

/** The status of a turn that has ended. The only place it is decided. */
export function decideTurnStatus(f: TurnOutcomeFacts): TurnStatus {
  if (f.blocked) return 'blocked';
  if (f.failure === 'cancelled') return 'cancelled';
  if (f.failure !== undefined) return f.tokenCount > 0 ? 'partial' : 'failed';
  return f.damage.length > 0 ? 'damaged' : 'complete';
}

/**
 * What the end user received, in one sentence: the released text, then the fallback when there was one.
 * `released` is the length of the filtered text released before the turn ended.
 */
export function endUserReceived(status: TurnStatus, released: number, fallback: string | undefined): string {
  const text = `${released.toLocaleString('en-US')} character${released === 1 ? '' : 's'} of the answer`;
  switch (status) {
    case 'complete':
      return `the end user received the whole answer (${text.replace(' of the answer', '')})`;
    case 'damaged':
      return `the end user received ${text}, with the damaged parts missing or shown as U+FFFD`;
    case 'cancelled':
      return released > 0 ? `cancelled by you after ${text} had been released` : 'cancelled by you before any of the answer was released';
    case 'partial':
    case 'blocked':
    case 'failed':
      return released > 0
        ? `the end user received ${text}, then the fallback${fallback !== undefined ? ` "${fallback}"` : ''}`
        : `the end user received only the fallback${fallback !== undefined ? ` "${fallback}"` : ''}`;
  }
}
