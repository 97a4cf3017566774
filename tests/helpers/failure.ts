import { UpstreamError } from '../../electron/core/upstreams/upstream-error';

/** Resolves with the UpstreamError a promise rejects with; fails the test if it resolves or throws another type. */
export async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UpstreamError) return e;
    throw new Error(`expected an UpstreamError, got ${String(e)}`);
  }
  throw new Error('expected the call to fail, but it succeeded');
}
