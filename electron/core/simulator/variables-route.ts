// POST /api/v2/bot/dialog/{dialog_id}/variables: writes dialog variables (gateway.md §4) with Bearer auth,
// scope bot:dialog:write, 404 for unknown dialogs (ids starting with `unknown-`), 429 + Retry-After when
// armed, and Idempotency-Key: a repeated key is applied once and answered 200 again.
// Must never apply a request twice, nor apply one it answered with an error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize } from './bearer-auth';
import type { SimContext } from './context';
import { failureCode, failureHeaders } from './fail-next';
import { isPlainObject, parseJson, readBody, sendJson } from './http-util';
import { preApply, type IdempotencyStore } from './idempotency';

const BODY_LIMIT = 1024 * 1024;
export const VARIABLES_SCOPES = ['bot:dialog:write'] as const;
/** Dialog ids with this prefix do not exist (404), so clients can test that path. */
export const UNKNOWN_DIALOG_PREFIX = 'unknown-';

type Variable = { name: string; value: unknown };

export function parseVariables(body: unknown): { ok: true; variables: Variable[] } | { ok: false; message: string } {
  if (!isPlainObject(body)) return { ok: false, message: 'body must be a JSON object {"variables":[{"name":...,"value":...}]}' };
  const list = body.variables;
  if (!Array.isArray(list) || list.length === 0) return { ok: false, message: '"variables" must be a non-empty array of {name, value}' };
  const out: Variable[] = [];
  for (const [i, v] of list.entries()) {
    if (!isPlainObject(v)) return { ok: false, message: `variables[${i}] must be an object {name, value}` };
    if (typeof v.name !== 'string' || v.name.trim() === '') return { ok: false, message: `variables[${i}].name must be a non-empty string` };
    if (!('value' in v)) return { ok: false, message: `variables[${i}].value is missing` };
    out.push({ name: v.name, value: v.value });
  }
  return { ok: true, variables: out };
}

export async function handleVariables(ctx: SimContext, idem: IdempotencyStore, dialogId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.variablesRequests++;
  const failure = ctx.failures.take('variables');
  if (failure) {
    sendJson(res, failure.status, { error: failureCode('variables', failure.status), error_description: `simulated failure (failNext variables ${failure.status})` }, failureHeaders(failure));
    return;
  }
  const auth = authorize(ctx, req, VARIABLES_SCOPES);
  if (!auth.ok) {
    sendJson(res, auth.status, auth.body, auth.headers);
    return;
  }
  if (dialogId.startsWith(UNKNOWN_DIALOG_PREFIX)) {
    sendJson(res, 404, { error: 'not_found', error_description: `dialog "${dialogId}" does not exist` });
    return;
  }
  const raw = await readBody(req, BODY_LIMIT);
  if (!raw.ok) {
    sendJson(res, 413, { error: 'payload_too_large', error_description: `request body too large (limit ${BODY_LIMIT} bytes)` });
    return;
  }
  const parsed = parseVariables(parseJson(raw.body));
  if (!parsed.ok) {
    sendJson(res, 400, { error: 'invalid_request', error_description: parsed.message });
    return;
  }
  const pre = preApply(req, res, idem, `variables:${dialogId}`, raw.body, () => ctx.owed429.dialogs.delete(dialogId));
  if (pre.handled) return;
  const key = pre.key;
  ctx.variables.set(dialogId, parsed.variables);
  ctx.stats.variablesApplied++;
  const answer = { dialog_id: dialogId, applied: parsed.variables.length };
  idem.remember(`variables:${dialogId}`, key, raw.body, 200, answer);
  sendJson(res, 200, answer);
}
