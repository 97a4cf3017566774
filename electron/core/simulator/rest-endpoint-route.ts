// Cognigy's REST Endpoint on the same URL as the Webchat settings request: POST `<base>/<URLToken>` with
// `{userId, sessionId, text?, data?}` answers once the flow has finished — the whole answer at once, no
// streaming — as `{text, data, outputStack: [{text, data, traceId, source: "bot"}], userId, sessionId}`.
// The answer is the same plan the streaming endpoints play, so the text is the one a streamed turn joins to.
// Must never include a credential.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ScenarioName } from '../../../shared/scenarios';
import type { SimContext } from './context';
import { isPlainObject, parseJson, readBody, sendJson } from './http-util';

const MAX_BODY = 60_000;

export async function handleRestEndpoint(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const read = await readBody(req, MAX_BODY);
  if (!read.ok) return sendJson(res, 413, { error: 'payload_too_large', error_description: `body over ${MAX_BODY} bytes` });
  let body: unknown;
  try {
    body = parseJson(read.body);
  } catch {
    return sendJson(res, 400, { error: 'invalid_request', error_description: 'the body is not JSON' });
  }
  if (!isPlainObject(body) || typeof body.userId !== 'string' || typeof body.sessionId !== 'string') {
    return sendJson(res, 400, { error: 'invalid_request', error_description: 'the body must be {"userId": "...", "sessionId": "...", "text"?: "...", "data"?: {...}}' });
  }
  const text = typeof body.text === 'string' ? body.text : '';
  const data = isPlainObject(body.data) ? body.data : {};
  const scenario = ScenarioName.safeParse(data.scenario ?? ctx.config.scenario);
  if (!scenario.success) return sendJson(res, 400, { error: 'invalid_request', error_description: `unknown scenario ${JSON.stringify(data.scenario)}` });
  const answer = ctx.answers.plan({ input: text, scenario: scenario.data, attempt: 1 }).answer;
  const traceId = `trace-${randomUUID()}`;
  sendJson(
    res,
    200,
    { text: answer, data: {}, outputStack: [{ text: answer, data: {}, traceId, source: 'bot' }], userId: body.userId, sessionId: body.sessionId },
    { 'Access-Control-Allow-Origin': '*' },
  );
}
