// The Socket Endpoint kind: Cognigy's Socket.IO Endpoint (what Webchat uses), with the management API's
// context inject as write-back.
import { randomUUID } from 'node:crypto';
import { stripUrlToken } from '../../recording/cassette-environment';
import { targetOf } from '../../secrets/secret-binding';
import type { UpstreamDescriptor } from '../descriptor';
import { createContextInjectSender, type ContextInjectPayload } from './context-inject';
import { testSocketEndpointConnection } from './endpoint-connection-test';
import { createSocketEndpointUpstream } from './socket-endpoint-upstream';

export const socketEndpointDescriptor: UpstreamDescriptor<'socket-endpoint'> = {
  identity: (env, given) => ({
    sessionId: given.sessionId ?? env.socketEndpoint.sessionId ?? `session-${randomUUID()}`,
    userId: given.userId ?? env.socketEndpoint.userId ?? `stream-debugger-${randomUUID().slice(0, 8)}`,
    channel: env.socketEndpoint.channel,
  }),
  open: (env, secrets, identity) => createSocketEndpointUpstream(env, secrets, identity),
  syncTarget: 'context-inject',
  syncJob: (req, env) => {
    const apiUrl = env.socketEndpoint.apiUrl;
    if (!apiUrl) return undefined;
    // The session and user the live connection spoke as: the inject must land in that very conversation.
    const payload: ContextInjectPayload = {
      apiUrl,
      sessionId: req.identity.sessionId,
      userId: req.identity.userId,
      context: { llm_response: req.filteredText, llm_usage: req.usage },
    };
    return { id: req.requestId, target: 'context-inject', environment: env.name, turnId: req.turnId, payload };
  },
  syncSender: (env, secrets) => createContextInjectSender(env.name, secrets),
  testConnection: testSocketEndpointConnection,
  secretTarget: (env, kind) => (kind === 'api-key' && env.socketEndpoint.apiUrl ? targetOf(env.socketEndpoint.apiUrl) : undefined),
  confidential: (env) => [env.socketEndpoint.urlToken],
  where: (env) => env.socketEndpoint.endpointUrl,
  cassette: (env) => {
    const s = env.socketEndpoint;
    const socketEndpoint: NonNullable<ReturnType<UpstreamDescriptor<'socket-endpoint'>['cassette']>['socketEndpoint']> = { endpointUrl: stripUrlToken(s.endpointUrl, s.urlToken), channel: s.channel, testMode: s.testMode };
    if (s.apiUrl !== undefined) socketEndpoint.apiUrl = stripUrlToken(s.apiUrl, s.urlToken);
    if (s.userId !== undefined) socketEndpoint.userId = s.userId;
    if (s.sessionId !== undefined) socketEndpoint.sessionId = s.sessionId;
    return { socketEndpoint };
  },
};
