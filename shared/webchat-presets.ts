// Webchat v3's two streaming flags (`settings.behavior`) and Cognigy's documented presets of them. One
// place for the simulator's settings request, the Webchat preview and the CLI to agree on.
import { z } from 'zod';

export const WebchatStreamingFlags = z.object({
  collateStreamedOutputs: z.boolean(),
  progressiveMessageRendering: z.boolean(),
});
export type WebchatStreamingFlags = z.infer<typeof WebchatStreamingFlags>;

export const WEBCHAT_PRESET_NAMES = ['classic', 'modern', 'slick'] as const;
export type WebchatPresetName = (typeof WEBCHAT_PRESET_NAMES)[number];

/** Classic: both off (Webchat's defaults); Modern: both on; Slick: collation only. */
export const WEBCHAT_PRESETS: Readonly<Record<WebchatPresetName, Readonly<WebchatStreamingFlags>>> = Object.freeze({
  classic: Object.freeze({ collateStreamedOutputs: false, progressiveMessageRendering: false }),
  modern: Object.freeze({ collateStreamedOutputs: true, progressiveMessageRendering: true }),
  slick: Object.freeze({ collateStreamedOutputs: true, progressiveMessageRendering: false }),
});
