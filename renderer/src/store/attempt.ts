// One request of a panel's slice (the QA panels, the recordings list): on failure the slice shows the
// message (its `fail`) and the caller gets undefined, so it can stop or answer false. A slice's notices and
// reloads stay in the callback, where they only run after the request succeeded.
export type Attempt = <T>(fn: () => Promise<T>) => Promise<T | undefined>;

export function attempter(fail: (err: unknown) => void): Attempt {
  return async (fn) => {
    try {
      return await fn();
    } catch (err) {
      fail(err);
      return undefined;
    }
  };
}
