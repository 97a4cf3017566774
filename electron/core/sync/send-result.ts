// Turns an HTTP answer (or a thrown fetch error) of a sync request into a SendResult: which typed cause,
// whether another attempt can help, and how long the server asked us to wait. Shared by every sender so the
// gateway variables POST and the management API context inject retry alike. Its messages go into events and
// the outbox file: they carry the status and the server's short error text, never request headers.
import type { Cause } from '../../../shared/events';
import { parseRetryAfter } from '../net/retry-after';
import type { SendResult } from './types';

const MAX_SERVER_TEXT = 200;

interface Classified {
  cause: Cause;
  retryable: boolean;
}

/**
 * 401 is final here because the sender's OAuth client already refreshed the token and retried once;
 * a 409 means a request with the same Idempotency-Key is still being processed: wait and ask again.
 */
export function classifyStatus(status: number): Classified {
  if (status === 401) return { cause: 'auth', retryable: false };
  if (status === 403) return { cause: 'forbidden', retryable: false };
  if (status === 404 || status === 410) return { cause: 'not_found', retryable: false };
  if (status === 413) return { cause: 'payload_too_large', retryable: false };
  if (status === 408) return { cause: 'timeout', retryable: true };
  if (status === 409 || status === 425) return { cause: 'try_again_later', retryable: true };
  if (status === 429) return { cause: 'rate_limited', retryable: true };
  if (status === 501 || status === 505) return { cause: 'server_error', retryable: false };
  if (status >= 500) return { cause: 'server_error', retryable: true };
  if (status >= 400) return { cause: 'bad_request', retryable: false };
  return { cause: 'protocol', retryable: false }; // 1xx/3xx: fetch follows redirects, so this is a peer bug
}

/** A Response (status, headers, body text already read) → SendResult. */
export function sendResultFromResponse(
  res: { status: number; headers: { get(name: string): string | null } },
  bodyText = '',
  nowMs: number = Date.now(),
): SendResult {
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
  const { cause, retryable } = classifyStatus(res.status);
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), nowMs);
  const said = serverText(bodyText);
  const message = `HTTP ${res.status}${said ? `: ${said}` : ''}`;
  return retryAfterMs === undefined
    ? { ok: false, status: res.status, cause, retryable, message }
    : { ok: false, status: res.status, cause, retryable, retryAfterMs, message };
}

/** A thrown error of fetch (or of the sender) → SendResult; always retryable, since nothing was answered. */
export function sendResultFromError(err: unknown): SendResult {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  if (e?.name === 'TimeoutError') return { ok: false, cause: 'timeout', retryable: true, message: 'request timed out' };
  if (e?.name === 'AbortError') return { ok: false, cause: 'cancelled', retryable: true, message: 'request cancelled' };
  const code = e?.cause?.code;
  const detail = code ?? e?.cause?.message ?? e?.message ?? String(err);
  return { ok: false, cause: 'network', retryable: true, message: `request failed: ${truncate(detail)}` };
}

/** The `error`/`error_description`/`message` of a JSON error body, else the start of a text body. */
function serverText(body: string): string {
  const text = body.trim();
  if (!text) return '';
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const parts = [j.error, j.error_description, j.message].filter((x): x is string => typeof x === 'string' && x !== '');
    if (parts.length > 0) return truncate(parts.join(' — '));
  } catch {
    // not JSON: fall through to the plain text
  }
  return text.startsWith('<') ? '' : truncate(text);
}

function truncate(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > MAX_SERVER_TEXT ? `${one.slice(0, MAX_SERVER_TEXT)}…` : one;
}
