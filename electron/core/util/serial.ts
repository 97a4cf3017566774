// One-at-a-time execution inside a process: a start that must not overlap a stop, a read-modify-write of
// one file, the turns of one dialog.

/**
 * A runner that starts each function given to it once the previous one has settled, in call order. A
 * failure is its caller's: it neither stops nor reaches the functions after it.
 */
export function createSerial(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
