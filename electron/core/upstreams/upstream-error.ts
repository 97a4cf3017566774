// The one error type upstream code throws: a typed cause travels with it, so fallbacks and exit codes are
// chosen from the cause, never by searching the message. Messages must never contain a secret or token.
import type { Cause } from '../../../shared/events';

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  /** The typed cause (named `kind` because Error already has an untyped `cause`). */
  readonly kind: Cause;
  readonly status?: number;
  readonly closeCode?: number;
  readonly retryAfterMs?: number;

  constructor(cause: Cause, message: string, extra: { status?: number; closeCode?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.kind = cause;
    this.status = extra.status;
    this.closeCode = extra.closeCode;
    this.retryAfterMs = extra.retryAfterMs;
  }
}

/** Typed cause of an HTTP status. */
export function causeOfStatus(status: number): Cause {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'bad_request';
  return 'internal';
}

/** Network-level failure of fetch (refused, reset, DNS) → UpstreamError('network'); aborts stay aborts. */
export function networkError(err: unknown, what: string, signal?: AbortSignal): UpstreamError {
  if (signal?.aborted) return new UpstreamError('cancelled', `${what}: cancelled`);
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return new UpstreamError('timeout', `${what}: no answer in time`);
  if (e?.name === 'AbortError') return new UpstreamError('cancelled', `${what}: cancelled`);
  const code = e?.cause?.code ? ` (${e.cause.code})` : '';
  return new UpstreamError('network', `${what}: could not reach the server${code}: ${e?.cause?.message ?? e?.message ?? String(err)}`);
}

/** Reads an error body as RFC 6749 `{error, error_description}` or `{error}`; never throws. */
export async function readErrorBody(res: Response): Promise<{ error?: string; description?: string }> {
  try {
    const text = await res.text();
    const json = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    return {
      error: typeof json.error === 'string' ? json.error : undefined,
      description: typeof json.error_description === 'string' ? json.error_description : undefined,
    };
  } catch {
    return {};
  }
}

/** Typed cause of an upstream error code (`code` of a gateway error frame or a socket `error` output). */
export function causeOfErrorCode(code: string | undefined, fallback: Cause = 'internal'): Cause {
  switch (code) {
    case 'rate_limited':
      return 'rate_limited';
    case 'timeout':
      return 'timeout';
    case 'content_filtered':
      return 'content_filtered';
    case 'internal':
      return 'server_error';
    default:
      return fallback;
  }
}
