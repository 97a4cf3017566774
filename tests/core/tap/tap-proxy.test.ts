// The tap's transport over real loopback sockets: the simulator plays Cognigy, Cognigy's official clients
// from npm (4.9.2 on Engine.IO v3, 5.0.0-beta.26 on v4) and a raw socket.io-client play the frontend.
import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Simulator } from '../../../electron/core/simulator/index';
import { startTapProxy, type TapHooks, type TapProxy } from '../../../electron/core/tap/tap-proxy';
import { SocketClientV4, SocketClientV5 } from '../../compat/clients';
import { CREDS, startSim } from '../simulator/helpers';

let sim: Simulator;
let tap: TapProxy;
const seen: Array<{ id: string; events: string[]; closed?: string }> = [];

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined); // the official clients log every step
  sim = await startSim(); // Cognigy's own 2 s ack timeout
  tap = await startTapProxy({
    port: 0,
    upstream: { endpointUrl: `${sim.url}/${CREDS.urlToken}`, urlToken: CREDS.urlToken },
    onConnection(info): TapHooks {
      const rec: (typeof seen)[number] = { id: info.id, events: [] };
      seen.push(rec);
      return {
        clientEvent: (e) => rec.events.push(`client:${e}`),
        serverEvent: (e) => void rec.events.push(`server:${e}`),
        closed: (by, reason) => (rec.closed = `${by}: ${reason}`),
      };
    },
  });
});
afterAll(async () => {
  await tap.close();
  await sim.close();
  vi.restoreAllMocks();
});

const open: Array<{ close(): unknown }> = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** Every output and finalPing the simulator sent so far has been acked or has timed out. */
async function acksSettled(): Promise<void> {
  const st = sim.stats;
  await vi.waitFor(() => expect(st.socketAcks + st.socketAckTimeouts).toBe(st.socketOutputs + st.socketFinalPings), { timeout: 5_000 });
}

type Official = InstanceType<typeof SocketClientV4> | InstanceType<typeof SocketClientV5>;
type Recorded = Array<[string, unknown]>;

/** The simulator gives each answer a fresh random _messageId and traceId: compare ids by order of appearance. */
function normalized(events: Recorded): Recorded {
  const ids = new Map<string, string>();
  return JSON.parse(
    JSON.stringify(events, (_k, v: unknown) => {
      if (typeof v !== 'string') return v;
      return v.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
        if (!ids.has(id)) ids.set(id, `id-${ids.size}`);
        return ids.get(id) as string;
      });
    }),
  ) as Recorded;
}

async function officialDialog(Client: typeof SocketClientV4 | typeof SocketClientV5, base: string, inputs: Array<[string, string]>): Promise<Recorded> {
  const client: Official = new Client(base, CREDS.urlToken, { forceWebsockets: true, reconnection: false, userId: 'user-1', sessionId: `s-${Math.floor(performance.now())}` });
  open.push({ close: () => client.disconnect() });
  const events: Recorded = [];
  client.on('output', (o: unknown) => events.push(['output', o]));
  client.on('typingStatus', (t: unknown) => events.push(['typingStatus', t]));
  await client.connect();
  if (!client.isEndpointReady) await new Promise<void>((r) => client.once('endpoint-ready', () => r()));
  for (const [text, scenario] of inputs) {
    const done = new Promise<unknown>((r) => client.once('finalPing', r));
    client.sendMessage(text, { scenario });
    events.push(['finalPing', await done]);
  }
  return events;
}

describe.each([
  ['@cognigy/socket-client 4.9.2 (Engine.IO v3)', SocketClientV4],
  ['@cognigy/socket-client 5.0.0-beta.26 (Engine.IO v4)', SocketClientV5],
])('through the tap, %s', (_label, Client) => {
  it('receives the same outputs, typing and finalPings as directly, event by event', async () => {
    const inputs: Array<[string, string]> = [
      ['Tell me about 3.14!', 'happy'],
      ['my card?', 'pii'],
      ['emoji', 'emoji-split'],
    ];
    const direct = await officialDialog(Client, sim.url, inputs);
    const tapped = await officialDialog(Client, tap.url.replace(/\/[^/]+$/, ''), inputs);
    expect(direct.filter(([e]) => e === 'output').length).toBeGreaterThan(10);
    expect(normalized(tapped)).toEqual(normalized(direct));
  });

  it('acks reach the simulator through the tap: it counts the frontend\'s acks, not ones the tap made up', async () => {
    await acksSettled();
    const before = { acks: sim.stats.socketAcks, outputs: sim.stats.socketOutputs, pings: sim.stats.socketFinalPings };
    await officialDialog(Client, tap.url.replace(/\/[^/]+$/, ''), [['hello', 'happy']]);
    const sent = sim.stats.socketOutputs - before.outputs + (sim.stats.socketFinalPings - before.pings);
    expect(sent).toBeGreaterThan(3);
    await vi.waitFor(() => expect(sim.stats.socketAcks - before.acks).toBe(sent), { timeout: 5_000 });
  });
});

function rawFrontend(query: Record<string, string> = {}): Socket {
  const s = io(`http://127.0.0.1:${tap.port}`, {
    query: { urlToken: CREDS.urlToken, sessionId: 'raw-1', userId: 'user-raw', testMode: 'true', emitWithAck: 'true', ...query },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  open.push(s);
  return s;
}

const ready = (s: Socket) => new Promise<void>((r) => s.once('endpoint-ready', () => r()));
const input = (text: string, scenario: string) => ({ URLToken: CREDS.urlToken, userId: 'user-raw', sessionId: 'raw-1', channel: 'test', source: 'device', text, data: { scenario } });

describe('the tap with a raw frontend', () => {
  it('never invents an ack: a frontend that does not ack leaves every output un-acked upstream', async () => {
    await acksSettled();
    const before = { acks: sim.stats.socketAcks, timeouts: sim.stats.socketAckTimeouts, outputs: sim.stats.socketOutputs, pings: sim.stats.socketFinalPings };
    const s = rawFrontend();
    await ready(s);
    const final = new Promise<void>((r) => s.once('finalPing', () => r()));
    s.emit('processInput', input('hi', 'happy'));
    await final;
    const sent = sim.stats.socketOutputs - before.outputs + (sim.stats.socketFinalPings - before.pings);
    await vi.waitFor(() => expect(sim.stats.socketAckTimeouts - before.timeouts).toBe(sent), { timeout: 5_000 });
    expect(sim.stats.socketAcks - before.acks).toBe(0);
  });

  it('passes the frontend\'s disconnect upstream and closes the upstream when the frontend goes', async () => {
    const before = seen.length;
    const s = rawFrontend();
    await ready(s);
    const rec = seen[before]!;
    s.disconnect();
    await vi.waitFor(() => expect(rec.closed).toMatch(/^frontend: /), { timeout: 5_000 });
    expect(tap.connections().map((c) => c.id)).not.toContain(rec.id);
  });

  it('breaks the frontend\'s transport when the upstream drops mid-answer (drop scenario)', async () => {
    const s = rawFrontend();
    await ready(s);
    const gone = new Promise<string>((r) => s.once('disconnect', r));
    s.emit('processInput', input('hi', 'drop'));
    expect(await gone).toBe('transport close');
  });

  it('forwards the upstream\'s refusal of a wrong URL token and connects nowhere else', async () => {
    const s = rawFrontend({ urlToken: 'not-the-token' });
    const exception = await new Promise<unknown>((r) => s.once('exception', r));
    expect(exception).toMatchObject({ code: 'invalid_url_token' });
  });

  it('disconnects a flooding frontend without touching another connection', async () => {
    const calm = rawFrontend({ sessionId: 'calm' });
    await ready(calm);
    const flood = rawFrontend({ sessionId: 'flood' });
    await ready(flood);
    const gone = new Promise<string>((r) => flood.once('disconnect', r));
    for (let i = 0; i < 500; i++) flood.emit('typingStatus', { status: 'typingOn' });
    expect(await gone).toBe('io server disconnect');
    const final = new Promise<void>((r) => calm.once('finalPing', () => r()));
    calm.emit('processInput', { ...input('still here?', 'happy'), sessionId: 'calm' });
    await final;
    expect(calm.connected).toBe(true);
  });
});

function rawHttp(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: tap.port, path, method: 'GET', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the tap\'s own safety', () => {
  it('answers only its own Host (DNS rebinding), on HTTP and on the socket handshake', async () => {
    const http = await rawHttp(`/${CREDS.urlToken}`, 'evil.example:80');
    expect(http.status).toBe(421);
    expect(http.body).toMatch(/unexpected Host/);
    const sock = await rawHttp('/socket.io/?EIO=4&transport=polling', `rebind.example:${tap.port}`);
    expect(sock.status).toBe(403);
  });

  it('passes Webchat\'s settings request on the endpoint URL through to the upstream', async () => {
    const direct = await fetch(`${sim.url}/${CREDS.urlToken}`);
    const tapped = await fetch(tap.url);
    expect(tapped.status).toBe(direct.status);
    expect(tapped.status).toBe(200);
    expect(tapped.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(await tapped.json()).toEqual(await direct.json());
  });

  it('serves nothing but its endpoint path', async () => {
    const r = await rawHttp('/api/v2/oauth/token', `127.0.0.1:${tap.port}`);
    expect(r.status).toBe(404);
    expect(r.body).toMatch(/serves only its endpoint URL/);
  });

  it('gives the frontend a connect error naming the upstream when it cannot be reached', async () => {
    const dead = await startSim();
    const url = `${dead.url}/${CREDS.urlToken}`;
    await dead.close();
    const refused: string[] = [];
    const t = await startTapProxy({ port: 0, upstream: { endpointUrl: url, urlToken: CREDS.urlToken }, connectTimeoutMs: 2_000, onRefused: (d) => refused.push(d) });
    try {
      const s = io(`http://127.0.0.1:${t.port}`, { query: { urlToken: CREDS.urlToken }, transports: ['websocket'], reconnection: false, forceNew: true });
      open.push(s);
      const err = await new Promise<Error>((r) => s.once('connect_error', r));
      expect(err.message).toContain(`could not reach the upstream ${dead.url}`);
      expect(err.message).not.toContain(CREDS.urlToken);
      expect(refused).toEqual([err.message]);
    } finally {
      await t.close();
    }
  });
});
