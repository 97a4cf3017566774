// The simulator's HTTP routing table: which path and method go to which route handler. Unknown paths get a
// JSON 404, wrong methods a 405 with Allow. Must never let a handler's exception crash the server: it
// becomes a 500 for that request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleConfig } from './config-route';
import type { SimContext } from './context';
import { sendJson } from './http-util';
import type { IdempotencyStore } from './idempotency';
import { handleInject, type RateLimiter } from './inject-route';
import { handleToken } from './oauth-route';
import { socketPathFor } from './socket-endpoint';
import { STREAM_PATH } from './gateway-stream';
import { handleVariables } from './variables-route';
import { handleRestEndpoint } from './rest-endpoint-route';
import { handleWebchatSettings, webchatSettingsPattern } from './webchat-settings-route';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: string[]) => Promise<void> | void;

interface Route {
  pattern: RegExp;
  method: string;
  handle: Handler;
}

export function createRequestHandler(ctx: SimContext, idem: IdempotencyStore, limiter: RateLimiter) {
  const routes: Route[] = [
    { pattern: /^\/api\/v2\/oauth\/token$/, method: 'POST', handle: (req, res) => handleToken(ctx, req, res) },
    { pattern: /^\/api\/v2\/llm\/gateway\/config$/, method: 'PUT', handle: (req, res) => handleConfig(ctx, req, res) },
    {
      pattern: /^\/api\/v2\/bot\/dialog\/([^/]+)\/variables$/,
      method: 'POST',
      handle: (req, res, _url, [dialogId]) => handleVariables(ctx, idem, dialogId as string, req, res),
    },
    {
      pattern: /^\/new\/v2\.0\/sessions\/([^/]+)\/context\/inject$/,
      method: 'POST',
      handle: (req, res, url, [sessionId]) => handleInject(ctx, limiter, idem, sessionId as string, url, req, res),
    },
    { pattern: webchatSettingsPattern(ctx), method: 'GET', handle: (_req, res) => handleWebchatSettings(ctx, res) },
    { pattern: webchatSettingsPattern(ctx), method: 'POST', handle: (req, res) => handleRestEndpoint(ctx, req, res) },
    {
      pattern: /^\/$/,
      method: 'GET',
      handle: (_req, res) =>
        sendJson(res, 200, {
          name: 'cognigy-stream-debugger simulator',
          scenario: ctx.config.scenario,
          gateway: { token: '/api/v2/oauth/token', config: '/api/v2/llm/gateway/config', stream: STREAM_PATH, variables: '/api/v2/bot/dialog/{dialog_id}/variables' },
          socketEndpoint: { path: socketPathFor(ctx.config.endpointBasePath), endpointUrl: `${ctx.config.endpointBasePath}/{URLToken}` },
          management: { contextInject: '/new/v2.0/sessions/{sessionId}/context/inject' },
        }),
    },
  ];

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const matching = routes
      .map((r) => ({ r, m: r.pattern.exec(url.pathname) }))
      .filter((x): x is { r: Route; m: RegExpExecArray } => x.m !== null);
    if (matching.length === 0) {
      sendJson(res, 404, { error: 'not_found', error_description: `no route for ${url.pathname}` });
      return;
    }
    const hit = matching.find((x) => x.r.method === req.method);
    if (!hit) {
      const allow = matching.map((x) => x.r.method).join(', ');
      sendJson(res, 405, { error: 'method_not_allowed', error_description: `${req.method} is not allowed here; use ${allow}` }, { Allow: allow });
      return;
    }
    let params: string[];
    try {
      params = hit.m.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'malformed percent-encoding in the path' });
      return;
    }
    Promise.resolve()
      .then(() => hit.r.handle(req, res, url, params))
      .catch((err: unknown) => {
        if (!res.headersSent && !req.destroyed) sendJson(res, 500, { error: 'server_error', error_description: (err as Error).message });
        else res.destroy();
      });
  };
}
