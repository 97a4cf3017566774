// The gateway's token stream, WebSocket /api/v2/llm/stream (gateway.md §3): checks the handshake (Bearer,
// scope llm:stream, injected 429s), waits for exactly one request frame, then plays the answer plan as
// JSON text frames, binary frames, errors and close codes, with pings every pingIntervalMs.
// Must never send a frame after the plan's close/terminate/stall, nor answer pings while stalled.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { ScenarioName, SCENARIOS } from '../../../shared/scenarios';
import { MAX_REPEAT, type AnswerPlan, type PlanStep } from './answers';
import { authorize } from './bearer-auth';
import { BoundedMap, type SimContext } from './context';
import { failureCode, failureHeaders } from './fail-next';
import { isPlainObject, rejectUpgrade } from './http-util';
import { createPacer } from './pacing';
import type { IssuedToken } from './token-store';

export const STREAM_PATH = '/api/v2/llm/stream';
export const STREAM_SCOPES = ['llm:stream'] as const;
/** How long the server waits for the request frame before it gives up on the socket. */
export const REQUEST_FRAME_TIMEOUT_MS = 60_000;
/** Wait for the socket to drain past this many buffered bytes (speed 0 with huge answers). */
const HIGH_WATER_BYTES = 1024 * 1024;
const MAX_REQUEST_FRAME_BYTES = 1024 * 1024;

export interface StreamRequestFrame {
  type: 'request';
  request_id: string;
  session_id: string;
  dialog_id: string;
  input: string;
  scenario?: ScenarioName;
  repeat?: number;
}

/** Validates a request frame; the error names the field that is wrong. */
export function parseRequestFrame(text: string): { ok: true; frame: StreamRequestFrame } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'request frame is not valid JSON' };
  }
  if (!isPlainObject(json)) return { ok: false, error: 'request frame must be a JSON object' };
  if (json.type !== 'request') return { ok: false, error: `request frame "type" must be "request", got ${JSON.stringify(json.type)}` };
  for (const field of ['request_id', 'session_id', 'dialog_id'] as const) {
    const v = json[field];
    if (typeof v !== 'string' || v === '') return { ok: false, error: `request frame "${field}" must be a non-empty string` };
  }
  if (typeof json.input !== 'string') return { ok: false, error: 'request frame "input" must be a string' };
  if (json.scenario !== undefined && !ScenarioName.safeParse(json.scenario).success) {
    return { ok: false, error: `unknown scenario ${JSON.stringify(json.scenario)}; valid: ${SCENARIOS.join(', ')}` };
  }
  if (json.repeat !== undefined && (typeof json.repeat !== 'number' || !Number.isInteger(json.repeat) || json.repeat < 1 || json.repeat > MAX_REPEAT)) {
    return { ok: false, error: `request frame "repeat" must be an integer 1..${MAX_REPEAT}` };
  }
  return { ok: true, frame: json as unknown as StreamRequestFrame };
}

export interface GatewayStream {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createGatewayStream(ctx: SimContext): GatewayStream {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_REQUEST_FRAME_BYTES, autoPong: false });
  /** Attempts per request_id, for `rate-limit` (first attempt fails, a retry succeeds). */
  const attempts = new BoundedMap<string, number>(10_000);

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const failure = ctx.failures.take('stream-handshake');
    if (failure) {
      const body = { error: failureCode('stream-handshake', failure.status), error_description: `simulated failure (failNext stream-handshake ${failure.status})` };
      rejectUpgrade(socket, failure.status, STATUS_CODES[failure.status] ?? 'Error', body, failureHeaders(failure));
      return;
    }
    const auth = authorize(ctx, req, STREAM_SCOPES);
    if (!auth.ok) {
      rejectUpgrade(socket, auth.status, STATUS_CODES[auth.status] ?? 'Error', auth.body, auth.headers);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ctx.stats.streams++;
      serve(ws, auth.token);
    });
  }

  function serve(ws: WebSocket, token: IssuedToken): void {
    const ac = new AbortController();
    let stalled = false;
    const ping = setInterval(() => ws.ping(), ctx.config.pingIntervalMs);
    ping.unref();
    const stopPings = () => clearInterval(ping);
    const onClosing = () => ws.terminate();
    ctx.closing.addEventListener('abort', onClosing, { once: true });
    ws.on('ping', (data) => {
      if (!stalled) ws.pong(data);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      stopPings();
      clearTimeout(requestTimer);
      ac.abort();
      ctx.closing.removeEventListener('abort', onClosing);
    });
    const requestTimer = setTimeout(() => {
      sendJson(ws, { error: `no request frame within ${REQUEST_FRAME_TIMEOUT_MS / 1000} s`, code: 'timeout' });
      ws.close(1008, 'no request frame');
    }, REQUEST_FRAME_TIMEOUT_MS);
    requestTimer.unref();

    ws.once('message', (data: RawData, isBinary: boolean) => {
      clearTimeout(requestTimer);
      // Exactly one request per socket: later frames are ignored.
      if (isBinary) {
        sendJson(ws, { error: 'request frame must be a JSON text frame, got a binary frame', code: 'internal' });
        ws.close(1003, 'binary request frame');
        return;
      }
      const parsed = parseRequestFrame(rawText(data));
      if (!parsed.ok) {
        sendJson(ws, { error: parsed.error, code: 'internal' });
        ws.close(1008, 'malformed request frame');
        return;
      }
      const frame = parsed.frame;
      const scenario = frame.scenario ?? ctx.config.scenario;
      const attempt = (attempts.get(frame.request_id) ?? 0) + 1;
      attempts.set(frame.request_id, attempt);
      if (scenario === 'rate-limit' && attempt === 1) {
        ctx.owed429.dialogs.add(frame.dialog_id);
        ctx.owed429.sessions.add(frame.session_id);
      }
      let plan: AnswerPlan;
      try {
        plan = ctx.answers.plan({ input: frame.input, scenario, attempt, ...(frame.repeat ? { repeat: frame.repeat } : {}) });
      } catch (err) {
        sendJson(ws, { error: `cannot answer: ${(err as Error).message}`, code: 'internal' });
        ws.close(1011, 'no answer');
        return;
      }
      void play(ws, plan.steps, token, ac.signal, () => {
        stalled = true;
        stopPings();
      });
    });
  }

  async function play(ws: WebSocket, steps: PlanStep[], token: IssuedToken, signal: AbortSignal, onStall: () => void): Promise<void> {
    const pacer = createPacer(ctx.config.speed);
    for (const step of steps) {
      if (!(await pacer.wait(step.delayMs, signal))) return;
      if (ws.readyState !== WebSocket.OPEN) return;
      switch (step.kind) {
        case 'tokens':
          await send(ws, JSON.stringify({ tokens: step.tokens, done: false, seq: step.seq }));
          break;
        case 'bytes':
          await send(ws, step.bytes);
          break;
        case 'garbage':
          await send(ws, step.text);
          break;
        case 'done':
          await send(ws, JSON.stringify({ tokens: step.tokens, done: true, seq: step.seq, ...(step.usage ? { usage: step.usage } : {}) }));
          break;
        case 'error':
          await send(ws, JSON.stringify({ error: step.error, code: step.code, ...(step.retryAfter !== undefined ? { retry_after: step.retryAfter } : {}) }));
          break;
        case 'close':
          if (step.revokeToken) ctx.tokens.revoke(token.value);
          ws.close(step.code, step.reason);
          return;
        case 'terminate':
          ws.terminate();
          return;
        case 'stall':
          onStall();
          ctx.stats.stalls++;
          return;
      }
    }
  }

  return {
    handleUpgrade,
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function sendJson(ws: WebSocket, body: unknown): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(body));
}

/** Sends one frame; waits for it to be written only when the socket's buffer is past the high-water mark. */
function send(ws: WebSocket, data: string | Uint8Array): Promise<void> {
  const binary = typeof data !== 'string';
  if (ws.bufferedAmount < HIGH_WATER_BYTES) {
    ws.send(data, { binary });
    return Promise.resolve();
  }
  return new Promise((resolve) => ws.send(data, { binary }, () => resolve()));
}
