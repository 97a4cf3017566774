// A timer the sync engine can cut short: `wake()` ends it early (retryNow), the engine's AbortSignal ends it
// as cancelled (close). It never keeps running after either, so close() leaves no timer behind.

export interface Wait {
  /** Resolves 'elapsed' or 'woken'; resolves 'aborted' (never rejects) when the signal fires. */
  done: Promise<'elapsed' | 'woken' | 'aborted'>;
  wake(): void;
}

export function startWait(ms: number, signal: AbortSignal): Wait {
  let finish!: (how: 'elapsed' | 'woken' | 'aborted') => void;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = (): void => finish('aborted');
  const done = new Promise<'elapsed' | 'woken' | 'aborted'>((resolve) => {
    finish = (how) => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      signal.removeEventListener('abort', onAbort);
      resolve(how);
    };
  });
  if (signal.aborted) finish('aborted');
  else {
    signal.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => finish('elapsed'), Math.max(0, ms));
  }
  return { done, wake: () => finish('woken') };
}
