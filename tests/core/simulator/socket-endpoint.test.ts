// The simulated Socket.IO Endpoint with real clients over loopback: socket.io-client v4 (as the app uses
// it) and Cognigy's own @cognigy/socket-client 4.9.2 (socket.io-client 2.x, Engine.IO v3).
import { SocketClientV4 as SocketClient } from '../../compat/clients';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createScriptedAnswers, type Simulator } from '../../../electron/core/simulator/index';
import type { ScenarioName } from '../../../shared/scenarios';
import { CREDS, isWellFormed, post, startSim } from './helpers';
import { statsUntil } from '../../helpers/simulator';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const open: Array<{ close(): unknown }> = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

type Output = { type: string; data: { text: string; data: { _cognigy: { _messageId: string; _finishReason?: string } } } };
type Event = { event: string; payload: unknown; acked: boolean };

function connect(s: Simulator, query: Record<string, string> = {}, opts: { transports?: string[] } = {}): Socket {
  const socket = io(s.url, {
    query: { urlToken: CREDS.urlToken, sessionId: 'sess-1', userId: 'user-1', testMode: 'true', emitWithAck: 'true', ...query },
    transports: opts.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  open.push(socket);
  return socket;
}

/**
 * Records every event of one turn; acks output/finalPing unless told not to. Resolves at the typingOff that
 * follows finalPing, at a disconnect, or — with `stallOf` — once that simulator says the turn went silent
 * for good and every output it emitted has arrived.
 */
function turn(socket: Socket, text: string, data: Record<string, unknown>, opts: { ack?: boolean; stallOf?: Simulator; sessionId?: string } = {}): Promise<Event[]> {
  const events: Event[] = [];
  const stall = opts.stallOf;
  const outputsBefore = stall?.stats.socketOutputs ?? 0;
  const stallsBefore = stall?.stats.stalls ?? 0;
  return new Promise((resolve) => {
    let off = () => undefined as unknown;
    const finish = () => {
      socket.offAny();
      off();
      resolve(events);
    };
    const stalledAndArrived = () =>
      stall !== undefined &&
      stall.stats.stalls > stallsBefore &&
      events.length > 0 && // typingOn, emitted before any output
      events.filter((e) => e.event === 'output').length >= stall.stats.socketOutputs - outputsBefore;
    if (stall) off = stall.onStatsChange(() => stalledAndArrived() && finish());
    let finalPinged = false;
    socket.onAny((event: string, ...args: unknown[]) => {
      const last = args.at(-1);
      const ack = typeof last === 'function' ? (last as () => void) : undefined;
      if (ack && opts.ack !== false) ack();
      events.push({ event, payload: args[0], acked: Boolean(ack) });
      if (event === 'finalPing') finalPinged = true;
      const typingOff = event === 'typingStatus' && (args[0] as { status?: string })?.status === 'typingOff';
      if ((finalPinged && typingOff) || stalledAndArrived()) finish();
    });
    socket.once('disconnect', finish);
    socket.emit('processInput', { URLToken: CREDS.urlToken, userId: 'user-1', sessionId: opts.sessionId ?? 'sess-1', channel: 'test', source: 'device', text, data });
  });
}

const outputs = (ev: Event[]) => ev.filter((e) => e.event === 'output').map((e) => e.payload as Output);
const joined = (ev: Event[]) => outputs(ev).filter((o) => o.type === 'output').map((o) => o.data.text).join('');
const answerFor = (scenario: ScenarioName, input: string) => createScriptedAnswers().plan({ input, scenario, attempt: 2 }).answer;
const ready = (socket: Socket) => new Promise<void>((r) => socket.once('endpoint-ready', () => r()));

describe('socket.io-client v4', () => {
  it('gets endpoint-ready, then typingOn, chunks flushed at . ! ? \\n with one _messageId, _finishReason, finalPing, typingOff', async () => {
    // Its own simulator, so the ack count below is this turn's alone.
    const own = await startSim();
    onTestFinished(() => own.close());
    const socket = connect(own);
    await ready(socket);
    const ev = await turn(socket, 'What is 3.14?', { scenario: 'happy' });
    expect(ev[0]).toMatchObject({ event: 'typingStatus', payload: { status: 'typingOn' } });
    expect(ev.at(-1)).toMatchObject({ event: 'typingStatus', payload: { status: 'typingOff' } });
    expect(ev.at(-2)).toMatchObject({ event: 'finalPing', payload: { type: 'regular' }, acked: true });
    const outs = outputs(ev);
    expect(outs.length).toBeGreaterThan(4);
    expect(new Set(outs.map((o) => o.data.data._cognigy._messageId)).size).toBe(1);
    expect(outs.every((o) => o.type === 'output')).toBe(true);
    expect(outs.slice(0, -1).every((o) => /[.!?\n]/.test(o.data.text) && o.data.data._cognigy._finishReason === undefined)).toBe(true);
    expect(outs.at(-1)?.data.data._cognigy._finishReason).toBe('stop');
    expect(joined(ev)).toBe(answerFor('happy', 'What is 3.14?'));
    // Cognigy's default flush overrides keep the decimal "3.14" in one chunk.
    expect(outs.some((o) => o.data.text.includes('3.14 is close to pi.'))).toBe(true);
    expect(outs.some((o) => o.data.text.endsWith('3.'))).toBe(false);
    expect(ev.filter((e) => e.event === 'output' || e.event === 'finalPing').every((e) => e.acked)).toBe(true);
    await statsUntil(own, (s) => s.socketAcks >= outs.length + 1, 'the acks of every output and the finalPing');
    expect(own.stats.socketAcks).toBe(outs.length + 1);
  });

  it('splits an e-mail address at its dot (pii)', async () => {
    const socket = connect(sim);
    await ready(socket);
    const ev = await turn(socket, 'customer?', { scenario: 'pii' });
    const outs = outputs(ev).map((o) => o.data.text);
    expect(outs.some((t) => t.endsWith('jane.d'))).toBe(true);
    expect(joined(ev)).toBe(answerFor('pii', 'customer?'));
  });

  it('counts missing acks after socketAckTimeoutMs', async () => {
    const own = await startSim({ socketAckTimeoutMs: 100 });
    try {
      const socket = connect(own);
      await ready(socket);
      const ev = await turn(socket, 'hi', {}, { ack: false });
      await statsUntil(own, (s) => s.socketAckTimeouts >= outputs(ev).length + 1, 'an ack timeout for every output and the finalPing');
      expect(own.stats.socketAcks).toBe(0);
      expect(own.stats.socketAckTimeouts).toBe(outputs(ev).length + 1);
    } finally {
      await own.close();
    }
  });

  it('emits without ack callbacks when the client connects with emitWithAck=false', async () => {
    const socket = connect(sim, { emitWithAck: 'false' });
    await ready(socket);
    const ev = await turn(socket, 'hi', {});
    expect(ev.filter((e) => e.event === 'output').every((e) => !e.acked)).toBe(true);
  });

  it('refuses a wrong URL token with an exception and a server disconnect', async () => {
    const socket = connect(sim, { urlToken: 'wrong' });
    const [exception, reason] = await Promise.all([
      new Promise((r) => socket.once('exception', r)),
      new Promise((r) => socket.once('disconnect', r)),
    ]);
    expect(exception).toMatchObject({ code: 'invalid_url_token' });
    expect(reason).toBe('io server disconnect');
  });

  it('supports the handshake=true variant (session data sent in the handshake answer)', async () => {
    const socket = io(sim.url, { query: { handshake: 'true' }, transports: ['websocket'], reconnection: false, forceNew: true });
    open.push(socket);
    socket.on('handshake', (cb: (o: unknown) => void) => cb({ userId: 'u-h', sessionId: 's-h', urlToken: CREDS.urlToken, testMode: true, emitWithAck: true }));
    await ready(socket);
    const ev = await turn(socket, 'hi', {}, { sessionId: 's-h' });
    expect(ev.some((e) => e.event === 'finalPing')).toBe(true);
  });

  it('works over long-polling too', async () => {
    const socket = connect(sim, {}, { transports: ['polling'] });
    await ready(socket);
    const ev = await turn(socket, 'hi', {});
    expect(outputs(ev).at(-1)?.data.data._cognigy._finishReason).toBe('stop');
  });

  it('does not send endpoint-ready when sendEndpointReady is false, but still answers', async () => {
    const own = await startSim({ sendEndpointReady: false });
    try {
      const socket = connect(own);
      let readyEvents = 0;
      socket.on('endpoint-ready', () => readyEvents++);
      await new Promise<void>((r) => socket.once('connect', () => r()));
      // The server would send endpoint-ready right after accepting; the answer to a first turn comes after it
      // on the same ordered socket, so at the turn's end any endpoint-ready would have arrived.
      const ev = await turn(socket, 'hi', {});
      expect(readyEvents).toBe(0);
      expect(own.stats.socketReadies).toBe(0);
      expect(ev.some((e) => e.event === 'finalPing')).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('answers an unknown scenario with an error output naming the valid ones', async () => {
    const socket = connect(sim);
    await ready(socket);
    const ev = await turn(socket, 'hi', { scenario: 'nope' });
    const err = outputs(ev)[0] as unknown as { type: string; data: { error: { message: string } } };
    expect(err.type).toBe('error');
    expect(err.data.error.message).toMatch(/unknown scenario "nope"; valid: happy/);
    expect(ev.some((e) => e.event === 'finalPing')).toBe(true);
  });

  it('counts connections', () => {
    expect(sim.stats.socketConnections).toBeGreaterThan(3);
  });
});

describe('scenario mapping on the socket endpoint', () => {
  it('rate-limit: first input gets an error output rate_limited + finalPing; the same input again succeeds; first inject 429', async () => {
    const socket = connect(sim, { sessionId: 'sess-rl' });
    await ready(socket);
    const first = await turn(socket, 'again', { scenario: 'rate-limit' }, { sessionId: 'sess-rl' });
    expect(outputs(first)).toEqual([{ type: 'error', data: { error: { message: 'rate limit exceeded', code: 'rate_limited', retryAfter: 1 } } }]);
    expect(first.some((e) => e.event === 'finalPing')).toBe(true);
    const second = await turn(socket, 'again', { scenario: 'rate-limit' }, { sessionId: 'sess-rl' });
    expect(joined(second)).toBe(answerFor('rate-limit', 'again'));
    const url = `${sim.url}/new/v2.0/sessions/sess-rl/context/inject`;
    const a = await post(url, { userId: 'user-1', context: { x: 1 } }, { 'x-api-key': CREDS.apiKey });
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('1');
    expect((await post(url, { userId: 'user-1', context: { x: 1 } }, { 'x-api-key': CREDS.apiKey })).status).toBe(200);
  });

  it('server-error: chunks, an error output code internal, finalPing, no _finishReason', async () => {
    const socket = connect(sim);
    await ready(socket);
    const ev = await turn(socket, 'hi', { scenario: 'server-error' });
    const outs = outputs(ev);
    expect(outs.at(-1)).toEqual({ type: 'error', data: { error: { message: 'internal server error', code: 'internal' } } });
    expect(outs.some((o) => o.data?.data?._cognigy?._finishReason)).toBe(false);
    expect(ev.some((e) => e.event === 'finalPing')).toBe(true);
  });

  it('drop: the server closes the transport mid-stream', async () => {
    const socket = connect(sim);
    await ready(socket);
    const reason = new Promise((r) => socket.once('disconnect', r));
    const ev = await turn(socket, 'hi', { scenario: 'drop' });
    expect(await reason).toBe('transport close');
    expect(ev.some((e) => e.event === 'finalPing')).toBe(false);
  });

  it('revoked: an exception, then a server disconnect', async () => {
    const socket = connect(sim);
    await ready(socket);
    const reason = new Promise((r) => socket.once('disconnect', r));
    const ev = await turn(socket, 'hi', { scenario: 'revoked' });
    expect(ev.find((e) => e.event === 'exception')?.payload).toMatchObject({ message: 'token revoked', code: 'token_revoked' });
    expect(await reason).toBe('io server disconnect');
  });

  it('stall: nothing after the first tokens: no _finishReason, no finalPing, typing stays on', async () => {
    const socket = connect(sim);
    await ready(socket);
    const ev = await turn(socket, 'hi', { scenario: 'stall' }, { stallOf: sim });
    expect(ev[0]).toMatchObject({ event: 'typingStatus', payload: { status: 'typingOn' } });
    expect(ev.some((e) => e.event === 'finalPing')).toBe(false);
    expect(ev.some((e) => (e.payload as Output)?.data?.data?._cognigy?._finishReason)).toBe(false);
    expect(socket.connected).toBe(true);
  });

  it('duplicate-seq: one output chunk delivered twice', async () => {
    const socket = connect(sim);
    await ready(socket);
    const ev = await turn(socket, 'hi', { scenario: 'duplicate-seq' });
    const texts = outputs(ev).map((o) => JSON.stringify(o));
    expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toHaveLength(1);
  });

  it('seq-gap: some text never arrives', async () => {
    const socket = connect(sim);
    await ready(socket);
    const ev = await turn(socket, 'hi', { scenario: 'seq-gap' });
    expect(joined(ev).length).toBeLessThan(answerFor('seq-gap', 'hi').length);
    expect(outputs(ev).at(-1)?.data.data._cognigy._finishReason).toBe('stop');
  });

  it('malformed-frame: one output payload is a bare string; the message still completes', async () => {
    const socket = connect(sim);
    await ready(socket);
    const ev = await turn(socket, 'hi', { scenario: 'malformed-frame' });
    const payloads = ev.filter((e) => e.event === 'output').map((e) => e.payload);
    expect(payloads.filter((p) => typeof p === 'string')).toHaveLength(1);
    expect(payloads.filter((p) => typeof p !== 'string').map((p) => (p as Output).data.text).join('')).toBe(answerFor('malformed-frame', 'hi'));
  });

  it('binary-utf8 and emoji-split arrive as whole characters', async () => {
    const socket = connect(sim);
    await ready(socket);
    for (const scenario of ['binary-utf8', 'emoji-split'] as const) {
      const ev = await turn(socket, 'hi', { scenario });
      expect(outputs(ev).every((o) => isWellFormed(o.data.text))).toBe(true);
      expect(joined(ev)).toBe(answerFor(scenario, 'hi'));
    }
  });
});

describe('official @cognigy/socket-client 4.9.2 (socket.io-client 2.x)', () => {
  beforeAll(() => {
    // The official client logs every step with console.log.
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(() => vi.restoreAllMocks());

  async function official(options: Record<string, unknown> = {}, s: Simulator = sim, urlToken = CREDS.urlToken) {
    const client = new SocketClient(s.url, urlToken, { reconnection: false, ...options });
    open.push({ close: () => client.disconnect() });
    return client;
  }

  function officialTurn(client: SocketClient, text: string, data: Record<string, unknown>) {
    const outs: Array<{ text: string; data: { _cognigy: { _messageId: string; _finishReason?: string } } }> = [];
    return new Promise<{ outs: typeof outs; finalPing: unknown }>((resolve) => {
      client.on('output', (o) => outs.push(o as (typeof outs)[number]));
      client.once('finalPing', (p) => resolve({ outs, finalPing: p }));
      client.sendMessage(text, data);
    });
  }

  it.each([
    ['websocket', { forceWebsockets: true }],
    ['long-polling', { disableWebsockets: true }],
    ['inner socket handshake', { forceWebsockets: true, enableInnerSocketHandshake: true }],
  ])('receives streamed outputs with _messageId/_finishReason and finalPing (%s)', async (_l, options) => {
    // Its own simulator: the shared one may still be counting acks of earlier tests' turns.
    const own = await startSim();
    onTestFinished(() => own.close());
    const client = await official(options, own);
    await client.connect();
    expect(client.connected).toBe(true);
    const { outs, finalPing } = await officialTurn(client, 'Tell me about 3.14!', { scenario: 'happy' });
    expect(finalPing).toEqual({ type: 'regular' });
    expect(outs.length).toBeGreaterThan(4);
    expect(new Set(outs.map((o) => o.data._cognigy._messageId)).size).toBe(1);
    expect(outs.at(-1)?.data._cognigy._finishReason).toBe('stop');
    expect(outs.map((o) => o.text).join('')).toBe(answerFor('happy', 'Tell me about 3.14!'));
    await statsUntil(own, (s) => s.socketAcks >= outs.length + 1, 'the official client\'s acks');
    // The official client acks every output and the finalPing.
    expect(own.stats.socketAcks).toBe(outs.length + 1);
  });

  it('surfaces error outputs as its "error" event (server-error)', async () => {
    const client = await official({ forceWebsockets: true });
    await client.connect();
    const error = new Promise((r) => client.once('error', r));
    client.sendMessage('hi', { scenario: 'server-error' });
    expect(await error).toEqual({ message: 'internal server error', code: 'internal' });
  });

  it('gets an exception for a wrong URL token', async () => {
    const client = await official({ forceWebsockets: true }, sim, 'wrong-token');
    const exception = new Promise((r) => client.once('exception', r));
    void client.connect().catch(() => undefined);
    expect(await exception).toMatchObject({ code: 'invalid_url_token' });
  });
});
