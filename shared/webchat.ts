// How the Webchat preview is configured: the two streaming flags of Webchat v3 and the documented presets
// that set them. Shared so the CLI's --webchat, the app's preview select and the core model agree on one
// table. The rules the flags drive live in electron/core/webchat (see docs/webchat-rendering.md).
import { z } from 'zod';

/** Webchat v3 `settings.behavior` flags that decide how streamed outputs become bubbles (both off by default). */
export const WebchatFlags = z.object({
  collateStreamedOutputs: z.boolean(),
  progressiveMessageRendering: z.boolean(),
});
export type WebchatFlags = z.infer<typeof WebchatFlags>;

export const WEBCHAT_PRESETS = ['classic', 'modern', 'slick'] as const;
export const WebchatPreset = z.enum(WEBCHAT_PRESETS);
export type WebchatPreset = z.infer<typeof WebchatPreset>;

/** A preset, or `endpoint`: the flags the endpoint's settings request answers (Webchat's defaults when it cannot be read). */
export const WEBCHAT_MODES = [...WEBCHAT_PRESETS, 'endpoint'] as const;
export const WebchatMode = z.enum(WEBCHAT_MODES);
export type WebchatMode = z.infer<typeof WebchatMode>;

/** The documented presets: Classic (both off), Modern (both on), Slick (collation only). */
export const WEBCHAT_PRESET_FLAGS: Record<WebchatPreset, WebchatFlags> = {
  classic: { collateStreamedOutputs: false, progressiveMessageRendering: false },
  modern: { collateStreamedOutputs: true, progressiveMessageRendering: true },
  slick: { collateStreamedOutputs: true, progressiveMessageRendering: false },
};

/** What Webchat uses when the settings request fails or times out: its built-in defaults (Classic). */
export const WEBCHAT_DEFAULT_FLAGS: WebchatFlags = WEBCHAT_PRESET_FLAGS.classic;

/** Short names for tight pickers; the labels above say what each means. */
export const WEBCHAT_MODE_NAMES: Record<WebchatMode, string> = { classic: 'Classic', modern: 'Modern', slick: 'Slick', endpoint: 'Endpoint' };

export const WEBCHAT_MODE_LABELS: Record<WebchatMode, string> = {
  classic: 'Classic (no collation)',
  modern: 'Modern (collated, progressive)',
  slick: 'Slick (collated)',
  endpoint: "Endpoint's settings",
};

/** The preset a pair of flags matches, if any (progressive rendering alone has no preset). */
export function presetOf(flags: WebchatFlags): WebchatPreset | undefined {
  return WEBCHAT_PRESETS.find(
    (p) => WEBCHAT_PRESET_FLAGS[p].collateStreamedOutputs === flags.collateStreamedOutputs && WEBCHAT_PRESET_FLAGS[p].progressiveMessageRendering === flags.progressiveMessageRendering,
  );
}
