// Adapts upstream HTTP outcomes to the sync engine's SendResult, reusing the sync layer's classification
// (sync/send-result.ts) so both senders retry alike; adds only the mapping of our typed UpstreamError.
import { discardBody } from '../net/http-fetch';
import { sendResultFromError, sendResultFromResponse } from '../sync/send-result';
import type { SendResult } from '../sync/types';
import { UpstreamError } from './upstream-error';

const RETRYABLE = new Set(['network', 'timeout', 'rate_limited', 'server_error', 'try_again_later', 'cancelled']);

export async function sendResultOf(res: Response, what: string): Promise<SendResult> {
  const body = res.ok ? '' : await res.text().catch(() => '');
  if (res.ok) await discardBody(res);
  const r = sendResultFromResponse(res, body);
  return r.ok ? r : { ...r, message: `${what}: ${r.message}` };
}

export function sendResultOfError(err: unknown, what: string): SendResult {
  if (err instanceof UpstreamError) {
    return {
      ok: false,
      cause: err.kind,
      retryable: RETRYABLE.has(err.kind),
      message: `${what}: ${err.message}`,
      ...(err.status !== undefined ? { status: err.status } : {}),
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    };
  }
  const r = sendResultFromError(err);
  return r.ok ? r : { ...r, message: `${what}: ${r.message}` };
}
