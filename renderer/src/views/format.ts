// Small display helpers shared by the views (numbers, durations, causes). Text only, never HTML.
import type { Cause } from '../../../shared/events';
import { TURN_STATUS_INFO, type TurnStatusInfo } from '../../../shared/turn-status';
import type { TurnStatus } from '../store/turn-model';

export const ms = (v: number | undefined, digits = 0): string => (v === undefined ? '—' : `${v.toFixed(digits)} ms`);
export const secs = (v: number | undefined): string => (v === undefined ? '—' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
/** One formatter: `toLocaleString('en-US')` builds a new one per call (~0.1 ms each, the most of a Usage tab's render). */
const INT = new Intl.NumberFormat('en-US');
export const int = (v: number | undefined): string => (v === undefined ? '—' : INT.format(v));

export const CAUSE_LABELS: Record<Cause, string> = {
  auth: 'authentication failed',
  forbidden: 'missing scope (403)',
  rate_limited: 'rate limited (429)',
  try_again_later: 'try again later (1013)',
  timeout: 'timeout',
  network: 'network / connection dropped',
  policy: 'token revoked (1008)',
  server_error: 'server error',
  content_filtered: 'content filtered',
  protocol: 'protocol violation',
  bad_request: 'bad request',
  not_found: 'not found',
  payload_too_large: 'payload too large',
  cancelled: 'cancelled',
  reconnection_limit: 'gave up reconnecting',
  keychain: 'keychain unavailable',
  internal: 'internal error',
};

export const STATUS_LABELS: Record<TurnStatus, string> = {
  streaming: 'streaming',
  ...Object.fromEntries(Object.entries(TURN_STATUS_INFO).map(([k, v]) => [k, v.label])),
} as Record<TurnStatus, string>;

/** CSS tone of a status (st-tone-*): cancelling is the user's own act, never styled as an error. */
export function statusTone(s: TurnStatus): TurnStatusInfo['tone'] | 'live' {
  return s === 'streaming' ? 'live' : TURN_STATUS_INFO[s].tone;
}

/** The outbox as the header and the Sync tab show it: every sync that has not gone through, failed ones too. */
export function outboxText(pending: number, failed: number): string {
  const total = pending + failed;
  if (!total) return 'Outbox: empty';
  return `Outbox: ${total} (${pending} pending${failed ? `, ${failed} failed` : ''})`;
}

export function truncate(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length > max ? `${cps.slice(0, max).join('')}…` : s;
}
