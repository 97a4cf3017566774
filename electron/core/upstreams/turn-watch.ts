// The settle-once promise, liveness timer and cancellation every upstream turn needs. The idle timer is
// re-armed on every frame (and ping); when it fires the turn ends as a timeout, when the signal aborts it
// ends as cancelled, and whatever comes first settles the turn exactly once.
import { UpstreamError } from './upstream-error';

export interface TurnWatch {
  readonly promise: Promise<void>;
  /** (Re)starts the liveness timer: call on every frame or ping. */
  arm(): void;
  /** Ends the turn: resolved without an error, rejected with one. Later calls are ignored. */
  finish(err?: UpstreamError): void;
  readonly settled: boolean;
}

export function createTurnWatch(o: {
  signal: AbortSignal;
  idleMs: number;
  /** What timed out, for the message: "no frame or ping from the gateway". */
  silence: string;
  /** Called once when the turn ends by timeout or cancellation (close the transport here). */
  onStop(reason: 'timeout' | 'cancelled'): void;
}): TurnWatch {
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  let resolve!: () => void;
  let reject!: (e: UpstreamError) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const finish = (err?: UpstreamError) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    o.signal.removeEventListener('abort', onAbort);
    if (err) reject(err);
    else resolve();
  };
  const onAbort = () => {
    if (settled) return;
    // Settle first: closing the transport may fire its own close/disconnect handlers synchronously.
    finish(new UpstreamError('cancelled', 'cancelled'));
    o.onStop('cancelled');
  };
  o.signal.addEventListener('abort', onAbort, { once: true });
  return {
    promise,
    arm() {
      // A settled turn watches nothing more (a late frame must not start a timer that stops the transport).
      if (settled) return;
      // One timer per turn, restarted in place: a long answer has thousands of frames (issue 13).
      if (timer) timer.refresh();
      else
        timer = setTimeout(() => {
          finish(new UpstreamError('timeout', `${o.silence} for ${Math.round(o.idleMs / 1000)} s`));
          o.onStop('timeout');
        }, o.idleMs);
    },
    finish,
    get settled() {
      return settled;
    },
  };
}
