// Who a session is to the upstream: its session id, user id and channel, decided once when the session
// opens. The live connection and every write-back of its answers (gateway variables, context inject) read
// this one object, so a write-back can never name another user or session than the conversation it
// belongs to (it did: a socket session without a configured user id spoke as `stream-debugger-<random>`
// while its inject named `stream-debugger`).
import { randomUUID } from 'node:crypto';
import type { Environment } from '../../../shared/environment';

export interface SessionIdentity {
  readonly sessionId: string;
  readonly userId: string;
  /** Socket Endpoint: the processInput `channel`; absent for upstreams that have none. */
  readonly channel?: string;
}

/** What a caller already knows (the tap: the frontend's own ids); anything absent is decided here. */
export type GivenIdentity = Partial<Pick<SessionIdentity, 'sessionId' | 'userId'>>;

const randomSession = () => `session-${randomUUID()}`;
const randomUser = () => `stream-debugger-${randomUUID().slice(0, 8)}`;

/** Given ids first, then the environment's configured ones, then fresh random ones for this session only. */
export function decideSessionIdentity(env: Environment, given: GivenIdentity = {}): SessionIdentity {
  switch (env.kind) {
    case 'gateway':
      return { sessionId: given.sessionId ?? env.gateway?.sessionId ?? randomSession(), userId: given.userId ?? randomUser() };
    case 'socket-endpoint': {
      const s = env.socketEndpoint;
      return {
        sessionId: given.sessionId ?? s?.sessionId ?? randomSession(),
        userId: given.userId ?? s?.userId ?? randomUser(),
        ...(s ? { channel: s.channel } : {}),
      };
    }
    default: {
      const never: never = env.kind;
      throw new Error(`unknown upstream kind ${String(never)}`);
    }
  }
}
