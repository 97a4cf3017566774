// Which Webchat flags a turn's preview uses (rule W1 of docs/webchat-rendering.md): a chosen preset, or what
// the endpoint's settings request answers — the GET on the endpoint URL Webchat itself makes at load, with
// its 4 s limit — and Webchat's defaults when that request fails. The URL holds the URL token, so it is never
// put in an event or a message.
import type { Environment } from '../../../shared/environment';
import type { WebchatSettingsEvent } from '../../../shared/events';
import { WEBCHAT_DEFAULT_FLAGS, WEBCHAT_PRESET_FLAGS, type WebchatFlags, type WebchatMode } from '../../../shared/webchat';
import { endpointServerUrl } from '../upstreams/socket-endpoint/endpoint-url';

/** Webchat gives up on its settings request after this long. */
export const WEBCHAT_SETTINGS_TIMEOUT_MS = 4_000;

export type ResolvedWebchat = Omit<WebchatSettingsEvent, 'type' | 'turnId' | 'at'>;

/** The endpoint URL Webchat is embedded with: the server part plus the URL token. */
export function webchatSettingsUrl(env: Environment): string | undefined {
  // The settings request is the Socket Endpoint's own (its URL token names the endpoint).
  if (env.kind !== 'socket-endpoint') return undefined;
  const s = env.socketEndpoint;
  return `${endpointServerUrl(s.endpointUrl, s.urlToken)}/${encodeURIComponent(s.urlToken)}`;
}

/** Reads the two flags from a settings answer; a missing or non-boolean flag keeps Webchat's default (off). */
export function flagsFromSettings(body: unknown): WebchatFlags {
  const behavior = (body as { settings?: { behavior?: Record<string, unknown> } } | null)?.settings?.behavior;
  const flag = (k: keyof WebchatFlags) => (typeof behavior?.[k] === 'boolean' ? (behavior[k]) : WEBCHAT_DEFAULT_FLAGS[k]);
  return { collateStreamedOutputs: flag('collateStreamedOutputs'), progressiveMessageRendering: flag('progressiveMessageRendering') };
}

export interface ResolveOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export async function resolveWebchat(env: Environment, mode: WebchatMode, opts: ResolveOptions = {}): Promise<ResolvedWebchat> {
  if (mode !== 'endpoint') return { mode, flags: WEBCHAT_PRESET_FLAGS[mode], from: 'preset' };
  const url = webchatSettingsUrl(env);
  const fallback = (why: string): ResolvedWebchat => ({ mode, flags: WEBCHAT_DEFAULT_FLAGS, from: 'default', detail: `${why}: Webchat would keep its defaults (both flags off, as Classic)` });
  if (!url) return fallback('the environment has no Socket Endpoint URL');
  const timeoutMs = opts.timeoutMs ?? WEBCHAT_SETTINGS_TIMEOUT_MS;
  const signals = [AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])];
  try {
    const res = await (opts.fetch ?? fetch)(url, { signal: AbortSignal.any(signals), headers: { accept: 'application/json' } });
    if (!res.ok) return fallback(`the endpoint's settings request answered HTTP ${res.status}`);
    const body: unknown = await res.json().catch(() => undefined);
    if (!body || typeof body !== 'object') return fallback("the endpoint's settings request did not answer JSON");
    return { mode, flags: flagsFromSettings(body), from: 'endpoint' };
  } catch (err) {
    const e = err as Error;
    if (e?.name === 'TimeoutError') return fallback(`the endpoint's settings request took longer than ${timeoutMs} ms`);
    if (e?.name === 'AbortError') throw err;
    return fallback(`the endpoint's settings request failed (${(e?.cause as Error | undefined)?.message ?? e?.message ?? String(err)})`);
  }
}
