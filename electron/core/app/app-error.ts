// Errors of the app service, and how any thrown error becomes an IpcError for the renderer.
// Must never put a secret, token or stack trace into what crosses the boundary: only a code and a message.
import type { IpcError, IpcErrorCode } from '../../../shared/ipc';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Maps anything a handler threw to an IpcError. An unreachable keychain (KeychainUnavailableError) is told
 * in plain words, on one line: no platform detail and no fix — the renderer shows the fix once, from the
 * keychain status of `renderer:app.info`, instead of under every failed action.
 */
export function toIpcErrorData(err: unknown): IpcError {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  const e = err as { name?: unknown; message?: unknown; reason?: unknown; fix?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  if (e?.name === 'EnvironmentInputError' || e?.name === 'UnknownEnvironmentError') {
    const code = (err as { code?: unknown }).code;
    return { code: code === 'exists' || code === 'reserved' ? 'conflict' : code === 'not-found' || e.name === 'UnknownEnvironmentError' ? 'not-found' : 'invalid-request', message };
  }
  // A change refused because a secret would be stranded in the unreachable keychain: its message says which.
  if (e?.name === 'SecretsStuckError') return { code: 'keychain-unavailable', message };
  if (e?.name === 'KeychainUnavailableError') {
    const summary = (err as { summary?: unknown }).summary;
    return { code: 'keychain-unavailable', message: typeof summary === 'string' ? summary : message };
  }
  return { code: 'failed', message };
}
