// Test helpers for the simulator's tests: a simulator on a free loopback port, tokens, and a raw `ws` client
// that records every frame, ping and the close code exactly as they arrive on the wire.
import WebSocket from 'ws';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../../electron/core/simulator/index';

export const CREDS = { clientId: 'sim-client', clientSecret: 'sim-s3cret:+/=', urlToken: 'urltok123', apiKey: 'sim-api-key' };

export function startSim(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return createSimulator({ ...CREDS, speed: 0, ...opts });
}

export async function getToken(sim: Simulator, scope = 'llm:stream bot:dialog:write api:access'): Promise<string> {
  const r = await fetch(`${sim.url}/api/v2/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret, scope }),
  });
  if (r.status !== 200) throw new Error(`token request failed: ${r.status}`);
  return ((await r.json()) as { access_token: string }).access_token;
}

export type WireFrame = { kind: 'text'; text: string; at: number } | { kind: 'binary'; bytes: Buffer; at: number };

export interface StreamResult {
  frames: WireFrame[];
  pings: number;
  code: number;
  reason: string;
  openedAt: number;
  /** JSON text frames, parsed (malformed ones skipped). */
  json: Array<Record<string, unknown>>;
}

export interface RequestFrame {
  type?: string;
  request_id?: string;
  session_id?: string;
  dialog_id?: string;
  input?: string;
  scenario?: string;
  repeat?: number;
}

export function wsUrl(sim: Simulator): string {
  return `${sim.url.replace(/^http/, 'ws')}/api/v2/llm/stream`;
}

/**
 * Opens a stream, sends `request` (an object or a raw string/Buffer), and resolves when the socket closes.
 * `onFrame` may close the socket from the client side (e.g. to end a stall).
 */
export function rawStream(
  sim: Simulator,
  token: string | undefined,
  request: RequestFrame | string | Buffer | null,
  onFrame?: (f: WireFrame, ws: WebSocket, all: WireFrame[]) => void,
): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(sim), { headers: token ? { Authorization: `Bearer ${token}`, Accept: 'application/json' } : {} });
    const frames: WireFrame[] = [];
    let pings = 0;
    let openedAt = 0;
    ws.on('open', () => {
      openedAt = performance.now();
      if (request === null) return;
      if (typeof request === 'string' || Buffer.isBuffer(request)) ws.send(request);
      else ws.send(JSON.stringify({ type: 'request', request_id: 'req-1', session_id: 'sess-1', dialog_id: 'dlg-1', input: 'Hello there', ...request }));
    });
    ws.on('ping', () => pings++);
    ws.on('message', (data, isBinary) => {
      const at = performance.now();
      const f: WireFrame = isBinary ? { kind: 'binary', bytes: data as Buffer, at } : { kind: 'text', text: (data as Buffer).toString('utf8'), at };
      frames.push(f);
      onFrame?.(f, ws, frames);
    });
    ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, headers: res.headers })));
    ws.on('error', (e) => reject(e));
    ws.on('close', (code, reason) => {
      const json: Array<Record<string, unknown>> = [];
      for (const f of frames) {
        if (f.kind !== 'text') continue;
        try {
          json.push(JSON.parse(f.text) as Record<string, unknown>);
        } catch {
          /* malformed frames stay in `frames` */
        }
      }
      resolve({ frames, pings, code, reason: reason.toString(), openedAt, json });
    });
  });
}

/** The handshake is refused: resolves the HTTP status, headers and JSON body of the refusal. */
export function refusedHandshake(sim: Simulator, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(sim), { headers });
    ws.on('open', () => reject(new Error('handshake unexpectedly accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined }));
    });
  });
}

/** Token strings of the data frames in order (JSON text frames with `tokens`). */
export function tokensOf(r: StreamResult): string[][] {
  return r.json.filter((f) => Array.isArray(f.tokens)).map((f) => f.tokens as string[]);
}

export function textOf(r: StreamResult): string {
  return tokensOf(r).flat().join('');
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** True when `s` has no lone surrogate (String.prototype.isWellFormed is ES2024, past this project's lib). */
export function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
