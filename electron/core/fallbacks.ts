// The message an end user would see instead of the answer when a stream fails. Chosen by the typed Cause
// only: never by searching error text (a message that happens to contain "timeout" must not decide). The
// messages are settings; the cause travels beside the message in the error event.
import type { Cause } from '../../shared/events';
import type { FallbackMessages } from '../../shared/settings';

export { FallbackMessages } from '../../shared/settings';

export const DEFAULT_FALLBACKS: FallbackMessages = Object.freeze({
  timeout: 'I am experiencing high latency. Please try again in a moment.',
  rateLimited: 'Service is temporarily overloaded. Please retry shortly.',
  contentFiltered: 'This answer was withheld by the content filter. Please rephrase your request.',
  generic: 'An unexpected error occurred. Please contact support.',
});

export type FallbackKind = keyof FallbackMessages;

/** Every cause decided explicitly: a new Cause does not compile until it is placed here. */
export const FALLBACK_BY_CAUSE: Readonly<Record<Cause, FallbackKind>> = Object.freeze({
  timeout: 'timeout',
  rate_limited: 'rateLimited',
  try_again_later: 'rateLimited',
  content_filtered: 'contentFiltered',
  auth: 'generic',
  forbidden: 'generic',
  network: 'generic',
  policy: 'generic',
  server_error: 'generic',
  protocol: 'generic',
  bad_request: 'generic',
  not_found: 'generic',
  payload_too_large: 'generic',
  cancelled: 'generic',
  reconnection_limit: 'generic',
  keychain: 'generic',
  internal: 'generic',
});

export function fallbackKindFor(cause: Cause): FallbackKind {
  return FALLBACK_BY_CAUSE[cause] ?? 'generic';
}

/** The fallback message for a cause. A blank message in `messages` falls back to the default one. */
export function fallbackFor(cause: Cause, messages: FallbackMessages = DEFAULT_FALLBACKS): string {
  const kind = fallbackKindFor(cause);
  const text = messages[kind];
  return typeof text === 'string' && text.trim().length > 0 ? text : DEFAULT_FALLBACKS[kind];
}
