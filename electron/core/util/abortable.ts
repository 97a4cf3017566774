// A promise that also settles (rejecting with a typed `cancelled`) when a signal aborts, for waits that cannot
// take a signal themselves (a shared in-flight token request, a socket's connect). The underlying work goes on;
// only this caller stops waiting.
import { UpstreamError } from '../upstreams/upstream-error';

export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined, whileDoing: string): Promise<T> {
  if (!signal) return p;
  const cancelled = () => new UpstreamError('cancelled', `cancelled while ${whileDoing}`);
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
