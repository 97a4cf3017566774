// PUT /api/v2/llm/gateway/config: stores the gateway's model settings after the checks gateway.md names
// (Bearer token, scopes llm:stream and api:access, temperature 0..2, max_tokens >= 1).
// Must never accept an invalid value silently: every 400 names the field and what was wrong.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize } from './bearer-auth';
import type { SimContext } from './context';
import { failureCode, failureHeaders } from './fail-next';
import { isPlainObject, parseJson, readBody, sendJson } from './http-util';

const BODY_LIMIT = 64 * 1024;
export const CONFIG_SCOPES = ['llm:stream', 'api:access'] as const;

/** The first problem with a config body, or undefined when it is valid. */
export function configProblem(body: unknown): { field?: string; message: string } | undefined {
  if (!isPlainObject(body)) return { message: 'body must be a JSON object' };
  const { streaming, model, temperature, max_tokens: maxTokens, dialog_id: dialogId } = body;
  if (streaming !== undefined && typeof streaming !== 'boolean') return { field: 'streaming', message: `streaming must be true or false, got ${JSON.stringify(streaming)}` };
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) return { field: 'model', message: 'model must be a non-empty string' };
  if (temperature !== undefined && (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature < 0 || temperature > 2)) {
    return { field: 'temperature', message: `temperature must be a number from 0 to 2, got ${JSON.stringify(temperature)}` };
  }
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return { field: 'max_tokens', message: `max_tokens must be an integer >= 1, got ${JSON.stringify(maxTokens)}` };
  }
  if (dialogId !== undefined && typeof dialogId !== 'string') return { field: 'dialog_id', message: 'dialog_id must be a string' };
  return undefined;
}

export async function handleConfig(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.configPuts++;
  const failure = ctx.failures.take('config');
  if (failure) {
    sendJson(res, failure.status, { error: failureCode('config', failure.status), error_description: `simulated failure (failNext config ${failure.status})` }, failureHeaders(failure));
    return;
  }
  const auth = authorize(ctx, req, CONFIG_SCOPES);
  if (!auth.ok) {
    sendJson(res, auth.status, auth.body, auth.headers);
    return;
  }
  const body = await readBody(req, BODY_LIMIT);
  if (!body.ok) {
    sendJson(res, 413, { error: 'payload_too_large', error_description: `request body too large (limit ${BODY_LIMIT} bytes)` });
    return;
  }
  const json = parseJson(body.body);
  if (json === undefined) {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'body is not valid JSON' });
    return;
  }
  const problem = configProblem(json);
  if (problem) {
    sendJson(res, 400, { error: 'invalid_request', error_description: problem.message, ...(problem.field ? { field: problem.field } : {}) });
    return;
  }
  ctx.gatewayConfig = { ...(json as Record<string, unknown>) };
  sendJson(res, 200, ctx.gatewayConfig);
}
