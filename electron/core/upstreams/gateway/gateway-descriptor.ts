// The gateway kind: OAuth client credentials, a WebSocket token stream, dialog variables as write-back.
import { randomUUID } from 'node:crypto';
import { gatewayBaseUrl } from '../../net/url-policy';
import { targetOf } from '../../secrets/secret-binding';
import type { UpstreamDescriptor } from '../descriptor';
import { createGatewayUpstream } from './gateway-upstream';
import { testGatewayConnection } from './gateway-connection-test';

export const gatewayDescriptor: UpstreamDescriptor<'gateway'> = {
  identity: (env, given) => ({
    sessionId: given.sessionId ?? env.gateway.sessionId ?? `session-${randomUUID()}`,
    userId: given.userId ?? `stream-debugger-${randomUUID().slice(0, 8)}`,
  }),
  open: (env, secrets) => createGatewayUpstream(env, secrets),
  syncTarget: 'gateway-variables',
  syncJob: (req, env) => ({
    id: req.requestId,
    target: 'gateway-variables',
    environment: env.name,
    turnId: req.turnId,
    payload: {
      dialogId: env.gateway.dialogId,
      body: {
        variables: [
          { name: 'llm_response', value: req.filteredText },
          { name: 'llm_prompt_tokens', value: req.usage.prompt },
          { name: 'llm_completion_tokens', value: req.usage.completion },
          { name: 'llm_total_tokens', value: req.usage.total },
        ],
      },
    },
  }),
  syncSender: (env, secrets) => createGatewayUpstream(env, secrets).variablesSender,
  testConnection: testGatewayConnection,
  secretTarget: (env, kind) => (kind === 'client-secret' ? targetOf(gatewayBaseUrl(env.gateway.host)) : undefined),
  confidential: () => [],
  where: (env) => gatewayBaseUrl(env.gateway.host),
  cassette: (env) => {
    const g = env.gateway;
    const gateway: NonNullable<ReturnType<UpstreamDescriptor<'gateway'>['cassette']>['gateway']> = { host: g.host, clientId: g.clientId, dialogId: g.dialogId, scopes: [...g.scopes] };
    if (g.sessionId !== undefined) gateway.sessionId = g.sessionId;
    return { gateway };
  },
};
