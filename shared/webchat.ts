// How the Webchat preview is configured: a preset (the table in webchat-presets.ts, which the simulator's
// settings request answers from too) or the endpoint's own settings. Shared so the CLI's --webchat, the
// app's preview select and the core model agree. The rules the flags drive live in electron/core/webchat
// (see docs/webchat-rendering.md).
import { z } from 'zod';
import type { WebchatBubbleEvent } from './events';
import { WEBCHAT_PRESET_NAMES, WEBCHAT_PRESETS as PRESET_TABLE, WebchatStreamingFlags } from './webchat-presets';

/** Webchat v3 `settings.behavior` flags that decide how streamed outputs become bubbles (both off by default). */
export const WebchatFlags = WebchatStreamingFlags;
export type WebchatFlags = WebchatStreamingFlags;

export const WEBCHAT_PRESETS = WEBCHAT_PRESET_NAMES;
export const WebchatPreset = z.enum(WEBCHAT_PRESETS);
export type WebchatPreset = z.infer<typeof WebchatPreset>;

/** A preset, or `endpoint`: the flags the endpoint's settings request answers (Webchat's defaults when it cannot be read). */
export const WEBCHAT_MODES = [...WEBCHAT_PRESETS, 'endpoint'] as const;
export const WebchatMode = z.enum(WEBCHAT_MODES);
export type WebchatMode = z.infer<typeof WebchatMode>;

/** The documented presets (one table, shared with the simulator's settings request). */
export const WEBCHAT_PRESET_FLAGS: Readonly<Record<WebchatPreset, Readonly<WebchatFlags>>> = PRESET_TABLE;

/** What Webchat uses when the settings request fails or times out: its built-in defaults (Classic). */
export const WEBCHAT_DEFAULT_FLAGS: WebchatFlags = WEBCHAT_PRESET_FLAGS.classic;

/** Short names for tight pickers; the labels below say what each means. */
export const WEBCHAT_MODE_NAMES: Record<WebchatMode, string> = { classic: 'Classic', modern: 'Modern', slick: 'Slick', endpoint: 'Endpoint' };

export const WEBCHAT_MODE_LABELS: Record<WebchatMode, string> = {
  classic: 'Classic (no collation)',
  modern: 'Modern (collated, progressive)',
  slick: 'Slick (collated)',
  endpoint: "Endpoint's settings",
};

/** One bubble of the Webchat preview, as the core's rules build it and the renderer keeps it from their events. */
export interface WebchatBubble {
  index: number;
  kind: WebchatBubbleEvent['kind'];
  source: string;
  messageId?: string;
  frames: number[];
  /** The bubble's text as Webchat keeps it: the first text split at newlines, each later chunk one piece (W8 cutting happens at display). */
  pieces: string[];
  finished: boolean;
  summary?: string;
}
