// How the CLI prints the Webchat preview: the bubbles on stdout after the answer (one block each, blank
// line between), the settings used and every warning on stderr, one line each; and the one parser of the
// `--webchat MODE` option of stream and replay.
import type { Environment } from '../../shared/environment';
import type { WebchatSettingsEvent, WebchatWarningEvent } from '../../shared/events';
import { WEBCHAT_MODE_LABELS, WEBCHAT_MODES, WebchatMode } from '../../shared/webchat';
import { UsageError } from './cli-io';
import { kindInfo } from '../../shared/upstream-kinds';

/** Webchat only speaks the Socket Endpoint: `--webchat` on another environment is a usage error. */
export function assertWebchatEnvironment(webchat: WebchatMode | undefined, env: Pick<Environment, 'name' | 'kind'>): void {
  if (webchat && !kindInfo(env.kind).webchat) {
    throw new UsageError(`--webchat needs a Socket Endpoint environment: "${env.name}" is a ${env.kind} environment, and Webchat only speaks the Socket Endpoint`);
  }
}

/** `--webchat MODE` of stream, record and replay. */
export function parseWebchatOption(value: string | undefined): WebchatMode | undefined {
  if (value === undefined) return undefined;
  const m = WebchatMode.safeParse(value);
  if (!m.success) throw new UsageError(`--webchat must be one of ${WEBCHAT_MODES.join(', ')}, got "${value}"`);
  return m.data;
}

const onOff = (b: boolean) => (b ? 'on' : 'off');

export function formatWebchatSettings(e: Pick<WebchatSettingsEvent, 'mode' | 'flags' | 'from' | 'detail'>): string {
  const flags = `collateStreamedOutputs ${onOff(e.flags.collateStreamedOutputs)}, progressiveMessageRendering ${onOff(e.flags.progressiveMessageRendering)}`;
  const from = e.from === 'endpoint' ? ", read from the endpoint's settings" : e.from === 'default' ? ` — ${e.detail ?? "the endpoint's settings could not be read"}` : '';
  return `webchat preview: ${WEBCHAT_MODE_LABELS[e.mode]} · ${flags}${from}`;
}

export function formatWebchatWarning(e: Pick<WebchatWarningEvent, 'kind' | 'detail'>): string {
  return `! webchat ${e.kind}: ${e.detail}`;
}

/** The bubbles as stdout blocks: a blank line before the first (it follows the answer) and between them. */
export function formatWebchatBubbles(bubbles: readonly string[]): string {
  if (bubbles.length === 0) return '\n(Webchat would show no bubble)\n';
  return bubbles.map((b) => `\n${b.replace(/\n+$/, '')}\n`).join('');
}
