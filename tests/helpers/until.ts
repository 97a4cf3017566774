// Waiting on the event itself: a condition is re-checked whenever the thing it reads changes (`notify`), never
// on a timer. The only timer is the upper bound, which fails loudly with what was awaited.

export interface Changes {
  /** Call whenever the watched state changed. */
  notify(): void;
  /** Resolves with the first truthy value of `check` (now or after a later notify); rejects after `ms`. */
  until<T>(check: () => T | undefined | null | false, what: string, ms?: number): Promise<T>;
}

export function createChanges(): Changes {
  const waiters = new Set<() => void>();
  return {
    notify() {
      for (const w of [...waiters]) w();
    },
    until<T>(check: () => T | undefined | null | false, what: string, ms = 20_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const attempt = () => {
          let v: T | undefined | null | false;
          try {
            v = check();
          } catch (err) {
            done();
            reject(err);
            return;
          }
          if (v) {
            done();
            resolve(v);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(attempt);
        };
        waiters.add(attempt);
        attempt();
      });
    },
  };
}
