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
 * Maps anything a handler threw to an IpcError. Errors of the secret stores carry `reason` and `fix`
 * (KeychainUnavailableError): both go into the message so the user learns what to do.
 */
export function toIpcErrorData(err: unknown): IpcError {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  const e = err as { name?: unknown; message?: unknown; reason?: unknown; fix?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  if (e?.name === 'EnvironmentInputError' || e?.name === 'UnknownEnvironmentError') {
    const code = (err as { code?: unknown }).code;
    return { code: code === 'exists' || code === 'reserved' ? 'conflict' : code === 'not-found' || e.name === 'UnknownEnvironmentError' ? 'not-found' : 'invalid-request', message };
  }
  if (e?.name === 'KeychainUnavailableError') {
    const fix = typeof e.fix === 'string' && !message.includes(e.fix) ? ` Fix: ${e.fix}` : '';
    return { code: 'keychain-unavailable', message: `${message}${fix}` };
  }
  return { code: 'failed', message };
}
