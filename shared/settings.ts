// Settings schemas shared by the app, the CLI and the core. zod only.
import { z } from 'zod';

const fallbackText = z
  .string()
  .max(500, 'must be at most 500 characters')
  .refine((s) => s.trim().length > 0, 'must not be empty');

/**
 * What the end user sees instead of an answer when a stream fails, chosen by the typed cause (never by error
 * text): timeout → `timeout`; rate_limited, try_again_later → `rateLimited`; content_filtered →
 * `contentFiltered`; every other cause → `generic`.
 */
export const FallbackMessages = z.strictObject({
  timeout: fallbackText,
  rateLimited: fallbackText,
  contentFiltered: fallbackText,
  generic: fallbackText,
});
export type FallbackMessages = z.infer<typeof FallbackMessages>;
