// Who a session is to the upstream: its session id, user id and channel, decided once when the session
// (or a new dialog) opens. The live connection and every write-back of its answers (gateway variables,
// context inject) read this one object, so a write-back can never name another user or session than the
// conversation it belongs to (it did: a socket session without a configured user id spoke as
// `stream-debugger-<random>` while its inject named `stream-debugger`). Each kind decides its own in its
// descriptor (given ids first, then the environment's configured ones, then fresh random ones).
import type { Environment } from '../../../shared/environment';
import { withUpstream } from './registry';

export interface SessionIdentity {
  readonly sessionId: string;
  readonly userId: string;
  /** Socket Endpoint: the processInput `channel`; absent for upstreams that have none. */
  readonly channel?: string;
}

/** What a caller already knows (the tap: the frontend's own ids); anything absent is decided by the kind. */
export type GivenIdentity = Partial<Pick<SessionIdentity, 'sessionId' | 'userId'>>;

export function decideSessionIdentity(env: Environment, given: GivenIdentity = {}): SessionIdentity {
  return withUpstream(env, (d, e) => d.identity(e, given));
}
