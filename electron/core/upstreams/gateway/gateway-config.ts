// PUT the gateway config (streaming on, model settings), validated before anything is sent.
import { ModelSettings } from '../../../../shared/environment';
import { parseRetryAfter } from '../../net/retry-after';
import type { OAuthClient } from './oauth-client';
import { UpstreamError, causeOfStatus, readErrorBody } from '../upstream-error';

export interface GatewayConfigInput {
  model: string;
  temperature: number;
  maxTokens: number;
  dialogId: string;
}

/** Throws UpstreamError('bad_request') naming the invalid value; nothing is sent then. */
export function validateGatewayConfig(input: GatewayConfigInput): void {
  const parsed = ModelSettings.safeParse({ model: input.model, temperature: input.temperature, maxTokens: input.maxTokens });
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');
    throw new UpstreamError('bad_request', `invalid gateway config: ${msg}`);
  }
  if (!input.dialogId) throw new UpstreamError('bad_request', 'invalid gateway config: dialog id is empty');
}

export async function putGatewayConfig(oauth: OAuthClient, baseUrl: string, input: GatewayConfigInput, signal?: AbortSignal): Promise<Record<string, unknown>> {
  validateGatewayConfig(input);
  const res = await oauth.fetchWithAuth(
    `${baseUrl}/api/v2/llm/gateway/config`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ streaming: true, model: input.model, temperature: input.temperature, max_tokens: input.maxTokens, dialog_id: input.dialogId }),
    },
    signal,
  );
  if (res.ok) return (await res.json().catch(() => ({}))) as Record<string, unknown>;
  const { error, description } = await readErrorBody(res);
  const detail = [error, description].filter(Boolean).join(': ');
  if (res.status === 403) {
    const scope = /(llm:stream|api:access|bot:dialog:write)/.exec(`${description ?? ''} ${error ?? ''}`)?.[1];
    throw new UpstreamError('forbidden', `gateway config refused (403): missing scope ${scope ?? 'llm:stream or api:access'}${detail ? ` (${detail})` : ''}`, { status: 403 });
  }
  throw new UpstreamError(causeOfStatus(res.status), `gateway config failed (HTTP ${res.status})${detail ? `: ${detail}` : ''}`, {
    status: res.status,
    retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
  });
}
