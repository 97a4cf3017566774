// The Webchat warnings a recorded turn had, as the baseline a replay is compared with (a replay fails on a
// warning its recording did not have). The recording's own webchat.warning events when it was previewed
// with the same flags; otherwise the preview is run again over the recorded events — it is a pure function
// of them. A redacted cassette has no raw.text events: the raw chunk ranges then come from the tokens'
// recorded sizes, which for Socket Endpoint text outputs are exactly the chunk lengths.
import type { SessionEvent, WebchatWarningEvent } from '../../../shared/events';
import type { WebchatFlags } from '../../../shared/webchat';
import type { CassetteEvent, CassetteTokenEvent } from '../recording/cassette-schema';
import { createWebchatPreview } from './webchat-preview';

const sameFlags = (a: WebchatFlags, b: WebchatFlags) => a.collateStreamedOutputs === b.collateStreamedOutputs && a.progressiveMessageRendering === b.progressiveMessageRendering;

export interface PreviewedTurn {
  turnId: string;
  webchat?: { settings: { flags: WebchatFlags }; warnings: WebchatWarningEvent[] };
  events: ReadonlyArray<SessionEvent | CassetteEvent>;
}

/** Re-runs the preview over a turn's recorded events with these flags. */
export function previewRecorded(turn: PreviewedTurn, flags: WebchatFlags): WebchatWarningEvent[] {
  const preview = createWebchatPreview(turn.turnId, flags, () => undefined);
  const hasRaw = turn.events.some((e) => e.type === 'raw.text');
  let rawLength = 0;
  let lastAt = 0;
  for (const e of turn.events) {
    if (e.type.startsWith('webchat.')) continue;
    lastAt = e.at;
    if (e.type === 'turn.end') break;
    preview.feed(e);
    if (!hasRaw && e.type === 'token') {
      const t = e as CassetteTokenEvent;
      const length = t.text?.length ?? t.textLength ?? 0;
      if (length > 0) preview.feed({ type: 'raw.text', turnId: t.turnId, at: t.at, start: rawLength, text: ' '.repeat(length), token: t.index });
      rawLength += length;
    }
  }
  preview.end(lastAt);
  return [...preview.warnings()];
}

/** The baseline warnings of a recorded turn for a replay previewed with `flags`. */
export function baselineWarnings(turn: PreviewedTurn, flags: WebchatFlags): WebchatWarningEvent[] {
  if (turn.webchat && sameFlags(turn.webchat.settings.flags, flags)) return turn.webchat.warnings;
  return previewRecorded(turn, flags);
}

/** What makes two warnings "the same" across runs: message ids and timings change, the kind and the lost text do not. */
export function warningKey(w: Pick<WebchatWarningEvent, 'kind' | 'text'>): string {
  return `${w.kind}\u0000${w.text ?? ''}`;
}

/** Warnings of the replay that the baseline does not have. */
export function newWarnings(baseline: readonly WebchatWarningEvent[], replayed: readonly WebchatWarningEvent[]): WebchatWarningEvent[] {
  const known = new Map<string, number>();
  for (const w of baseline) known.set(warningKey(w), (known.get(warningKey(w)) ?? 0) + 1);
  return replayed.filter((w) => {
    const n = known.get(warningKey(w)) ?? 0;
    if (n > 0) {
      known.set(warningKey(w), n - 1);
      return false;
    }
    return true;
  });
}
