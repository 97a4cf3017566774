// The gateway upstream: the OAuth client, config, stream and variables sync for one gateway environment.
import type { GatewayEnvironment } from '../../../../shared/environment';
import { gatewayBaseUrl } from '../../net/url-policy';
import type { SecretStore } from '../../secrets/secret-store';
import type { SyncJob, SyncSender } from '../../sync/types';
import { sendResultOf, sendResultOfError } from '../http-send-result';
import type { TurnRequest, Upstream, UpstreamSink } from '../upstream';
import { UpstreamError } from '../upstream-error';
import { targetOf } from '../../secrets/secret-binding';
import { upstreamSecret } from '../upstream-secret';
import { putGatewayConfig } from './gateway-config';
import { runGatewayStream } from './gateway-stream';
import { createOAuthClient, type OAuthClient } from './oauth-client';

export const DEFAULT_SCOPES = ['llm:stream', 'bot:dialog:write', 'api:access'];

export interface GatewayUpstream extends Upstream {
  readonly oauth: OAuthClient;
  readonly baseUrl: string;
  configure(signal?: AbortSignal): Promise<void>;
  variablesSender: SyncSender;
}

export function createOAuthForEnvironment(env: GatewayEnvironment, secrets: SecretStore): { oauth: OAuthClient; baseUrl: string } {
  const g = env.gateway;
  const baseUrl = gatewayBaseUrl(g.host);
  const oauth = createOAuthClient({
    baseUrl,
    clientId: g.clientId,
    scopes: g.scopes?.length ? g.scopes : DEFAULT_SCOPES,
    clientSecret: async () => {
      const s = await upstreamSecret(secrets, env.name, 'client-secret', targetOf(baseUrl));
      if (!s) throw new UpstreamError('auth', `no client secret stored for environment "${env.name}": run "npm run cli -- env set-secret ${env.name} client-secret"`);
      return s;
    },
  });
  return { oauth, baseUrl };
}

export function createGatewayUpstream(env: GatewayEnvironment, secrets: SecretStore): GatewayUpstream {
  const { oauth, baseUrl } = createOAuthForEnvironment(env, secrets);
  const g = env.gateway;
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/api/v2/llm/stream`;
  let configured = false;

  const configure = async (signal?: AbortSignal) => {
    await putGatewayConfig(oauth, baseUrl, { model: env.model.model, temperature: env.model.temperature, maxTokens: env.model.maxTokens, dialogId: g.dialogId }, signal);
    configured = true;
  };

  const variablesSender: SyncSender = async (job: SyncJob, { signal }) => {
    const payload = job.payload as { dialogId: string; body: unknown };
    const what = `dialog variables POST for turn ${job.turnId}`;
    try {
      const res = await oauth.fetchWithAuth(
        `${baseUrl}/api/v2/bot/dialog/${encodeURIComponent(payload.dialogId)}/variables`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': job.id },
          body: JSON.stringify(payload.body),
        },
        signal,
      );
      return await sendResultOf(res, what);
    } catch (err) {
      return sendResultOfError(err, what);
    }
  };

  return {
    kind: 'gateway',
    oauth,
    baseUrl,
    configure,
    variablesSender,
    async runTurn(req: TurnRequest, sink: UpstreamSink) {
      if (!configured) await configure(req.signal);
      await runGatewayStream({ url: wsUrl, oauth, dialogId: g.dialogId }, req, sink);
    },
    async close() {},
  };
}
