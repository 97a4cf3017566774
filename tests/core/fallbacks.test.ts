import { describe, expect, it } from 'vitest';
import { CAUSES, type Cause } from '../../shared/events';
import { FallbackMessages } from '../../shared/settings';
import { DEFAULT_FALLBACKS, fallbackFor, fallbackKindFor } from '../../electron/core/fallbacks';

describe('fallbacks', () => {
  it('default messages: the gateway.md §5 table plus a content-filter message', () => {
    expect(DEFAULT_FALLBACKS.timeout).toBe('I am experiencing high latency. Please try again in a moment.');
    expect(DEFAULT_FALLBACKS.rateLimited).toBe('Service is temporarily overloaded. Please retry shortly.');
    expect(DEFAULT_FALLBACKS.generic).toBe('An unexpected error occurred. Please contact support.');
    expect(DEFAULT_FALLBACKS.contentFiltered.length).toBeGreaterThan(0);
    expect(FallbackMessages.parse(DEFAULT_FALLBACKS)).toEqual(DEFAULT_FALLBACKS);
  });

  it('chosen by the typed cause, for every cause', () => {
    const expected: Record<Cause, keyof typeof DEFAULT_FALLBACKS> = {
      timeout: 'timeout', rate_limited: 'rateLimited', try_again_later: 'rateLimited', content_filtered: 'contentFiltered',
      auth: 'generic', forbidden: 'generic', network: 'generic', policy: 'generic', server_error: 'generic', protocol: 'generic',
      bad_request: 'generic', not_found: 'generic', payload_too_large: 'generic', cancelled: 'generic', reconnection_limit: 'generic', keychain: 'generic', internal: 'generic',
    };
    for (const cause of CAUSES) {
      expect(fallbackKindFor(cause)).toBe(expected[cause]);
      expect(fallbackFor(cause)).toBe(DEFAULT_FALLBACKS[expected[cause]]);
    }
  });

  it('uses the configured messages (settings), falling back per message when one is blank', () => {
    const custom = { timeout: 'Slow, sorry.', rateLimited: 'Busy.', contentFiltered: 'Filtered.', generic: 'Oops.' };
    expect(fallbackFor('timeout', custom)).toBe('Slow, sorry.');
    expect(fallbackFor('try_again_later', custom)).toBe('Busy.');
    expect(fallbackFor('content_filtered', custom)).toBe('Filtered.');
    expect(fallbackFor('network', custom)).toBe('Oops.');
    expect(fallbackFor('timeout', { ...custom, timeout: '  ' })).toBe(DEFAULT_FALLBACKS.timeout);
  });
});
