import { describe, expect, it } from 'vitest';
import { classifyStatus, sendResultFromError, sendResultFromResponse } from '../../../electron/core/sync/send-result';

const headers = (h: Record<string, string> = {}) => new Headers(h);

describe('sendResultFromResponse', () => {
  it('2xx is success', () => {
    expect(sendResultFromResponse({ status: 200, headers: headers() })).toEqual({ ok: true, status: 200 });
    expect(sendResultFromResponse({ status: 201, headers: headers() })).toEqual({ ok: true, status: 201 });
  });

  it('429 is retryable, carries Retry-After (seconds or date) and the server’s short error text', () => {
    const now = Date.UTC(2025, 0, 1, 0, 0, 0);
    const r = sendResultFromResponse({ status: 429, headers: headers({ 'Retry-After': '3' }) }, '{"error":"rate_limited"}', now);
    expect(r).toEqual({ ok: false, status: 429, cause: 'rate_limited', retryable: true, retryAfterMs: 3000, message: 'HTTP 429: rate_limited' });
    const d = sendResultFromResponse({ status: 503, headers: headers({ 'Retry-After': 'Wed, 01 Jan 2025 00:00:10 GMT' }) }, '', now);
    expect(d).toMatchObject({ ok: false, cause: 'server_error', retryable: true, retryAfterMs: 10_000 });
  });

  it('a garbage Retry-After is ignored rather than guessed', () => {
    const r = sendResultFromResponse({ status: 429, headers: headers({ 'Retry-After': 'later' }) });
    expect(r.ok).toBe(false);
    expect(r).not.toHaveProperty('retryAfterMs');
  });

  it('maps statuses to typed causes; only transient ones are retryable', () => {
    const table: Array<[number, string, boolean]> = [
      [400, 'bad_request', false],
      [401, 'auth', false],
      [403, 'forbidden', false],
      [404, 'not_found', false],
      [408, 'timeout', true],
      [409, 'try_again_later', true],
      [413, 'payload_too_large', false],
      [422, 'bad_request', false],
      [429, 'rate_limited', true],
      [500, 'server_error', true],
      [501, 'server_error', false],
      [502, 'server_error', true],
      [503, 'server_error', true],
      [504, 'server_error', true],
    ];
    for (const [status, cause, retryable] of table) expect(classifyStatus(status), String(status)).toEqual({ cause, retryable });
  });

  it('keeps messages short and free of HTML pages', () => {
    const long = sendResultFromResponse({ status: 500, headers: headers() }, 'x'.repeat(5000));
    expect(!long.ok && long.message.length).toBeLessThan(220);
    const html = sendResultFromResponse({ status: 502, headers: headers() }, '<html><body>Bad gateway</body></html>');
    expect(!html.ok && html.message).toBe('HTTP 502');
  });
});

describe('sendResultFromError', () => {
  it('a fetch failure is a retryable network error naming the system code', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    expect(sendResultFromError(err)).toEqual({ ok: false, cause: 'network', retryable: true, message: 'request failed: ECONNREFUSED' });
  });
  it('timeouts and aborts keep their own causes', () => {
    expect(sendResultFromError(new DOMException('t', 'TimeoutError'))).toMatchObject({ cause: 'timeout', retryable: true });
    expect(sendResultFromError(new DOMException('a', 'AbortError'))).toMatchObject({ cause: 'cancelled' });
  });
});
