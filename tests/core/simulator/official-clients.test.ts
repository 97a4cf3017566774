// Compatibility of the simulated Socket Endpoint with BOTH official Cognigy clients from npm: 4.9.2
// (socket.io-client 2.x, Engine.IO v3) and 5.0.0-beta.26 (socket.io-client 4.7, what Webchat 3.49 pins):
// streaming, input buffered before ready, their own reconnect loop after a server disconnect (with a new
// endpoint-ready), RECONNECTION_LIMIT, the user's typing state, a sub-path endpoint. Waits on events only.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SocketClientV4, SocketClientV5 } from '../../compat/clients';
import { createScriptedAnswers, type Simulator } from '../../../electron/core/simulator/index';
import type { ScenarioName } from '../../../shared/scenarios';
import { CREDS, startSim } from './helpers';

type Client = InstanceType<typeof SocketClientV4> | InstanceType<typeof SocketClientV5>;
type Out = { text?: string; data?: { _cognigy?: { _messageId?: string; _finishReason?: string } } };
const CLIENTS = [
  ['4.9.2', (url: string, token: string, o: Record<string, unknown>) => new SocketClientV4(url, token, o) as Client],
  ['5.0.0-beta.26', (url: string, token: string, o: Record<string, unknown>) => new SocketClientV5(url, token, o) as Client],
] as const;

let sim: Simulator;
beforeAll(async () => {
  // The official clients log every step with console.log.
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
  vi.restoreAllMocks();
});
const open: Client[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.disconnect();
});

const answerFor = (scenario: ScenarioName, input: string) => createScriptedAnswers().plan({ input, scenario, attempt: 1 }).answer;

/** Resolves with the payload of the next `event`; rejects after `ms`. */
function once<T = unknown>(c: Client, event: string, ms = 5_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    c.once(event, (p: T) => {
      clearTimeout(timer);
      resolve(p);
    });
  });
}
/** Collects outputs until `n` finalPings arrived. */
function collect(c: Client, n: number, ms = 10_000): Promise<Out[][]> {
  const turns: Out[][] = [[]];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${turns.length - 1} of ${n} finalPings within ${ms} ms`)), ms);
    c.on('output', (o: Out) => turns.at(-1)!.push(o));
    c.on('finalPing', () => {
      if (turns.length === n) {
        clearTimeout(timer);
        resolve(turns);
      } else turns.push([]);
    });
  });
}
const text = (outs: Out[]) => outs.map((o) => o.text ?? '').join('');

describe.each(CLIENTS)('official client %s', (_version, make) => {
  const client = (o: Record<string, unknown> = {}, url = sim.url) => {
    const c = make(url, CREDS.urlToken, { forceWebsockets: true, reconnection: false, ...o });
    open.push(c);
    return c;
  };

  it('streams an answer: chunks of one _messageId, _finishReason, finalPing', async () => {
    const c = client({ sessionId: 'off-stream' });
    await c.connect();
    const done = collect(c, 1);
    c.sendMessage('Tell me about 3.14!', { scenario: 'happy' });
    const [outs] = await done;
    expect(new Set(outs!.map((o) => o.data?._cognigy?._messageId)).size).toBe(1);
    expect(outs!.at(-1)?.data?._cognigy?._finishReason).toBe('stop');
    expect(text(outs!)).toBe(answerFor('happy', 'Tell me about 3.14!'));
  });

  it('buffers input given before connect and ready, and sends it in order after endpoint-ready', async () => {
    const c = client({ sessionId: `off-buf-${_version}` });
    const done = collect(c, 2);
    c.sendMessage('first', { scenario: 'happy' });
    c.sendMessage('second', { scenario: 'happy' });
    await c.connect();
    const [a, b] = await done;
    expect(text(a!)).toBe(answerFor('happy', 'first'));
    expect(text(b!)).toBe(answerFor('happy', 'second'));
    const sent = sim.socketInputs.filter((i) => i.sessionId === `off-buf-${_version}`);
    expect(sent.map((i) => i.payload.text)).toEqual(['first', 'second']);
    // What the official client puts at the top level of processInput.
    expect(sent[0]!.payload).toMatchObject({ URLToken: CREDS.urlToken, channel: 'socket-client', source: 'device', passthroughIP: null, resetFlow: false });
  });

  it('reconnects with its own loop after a server disconnect mid-stream, gets a new endpoint-ready, and the rest arrives', async () => {
    const readies = sim.stats.socketReadies;
    const c = client({ sessionId: `off-rc-${_version}`, reconnection: true, interval: 50, reconnectionLimit: 5 });
    await c.connect();
    const disconnected = once(c, 'socket/disconnect');
    const done = collect(c, 1);
    c.sendMessage('keep going', { scenario: 'reconnect' });
    expect(await disconnected).toBe('io server disconnect');
    const [outs] = await done;
    expect(sim.stats.socketReadies - readies).toBe(2);
    expect(outs!.at(-1)?.data?._cognigy?._finishReason).toBe('stop');
    const whole = answerFor('reconnect', 'keep going');
    expect(text(outs!).length).toBeLessThan(whole.length);
    expect(whole.endsWith(text(outs!.slice(-2)))).toBe(true);
  });

  it('gives up after reconnectionLimit attempts with socket/error RECONNECTION_LIMIT', async () => {
    const own = await startSim();
    const c = make(own.url, CREDS.urlToken, { forceWebsockets: true, reconnection: true, interval: 30, reconnectionLimit: 2 });
    open.push(c);
    await c.connect();
    const limit = once<{ type: string }>(c, 'socket/error', 5_000);
    await own.close();
    expect(await limit).toEqual({ type: 'RECONNECTION_LIMIT' });
  });

  it('connects to an endpoint under a sub-path at <path>/socket.io', async () => {
    const own = await startSim({ endpointBasePath: '/cognigy/endpoint' });
    try {
      const c = client({ sessionId: 'off-sub' }, `${own.url}/cognigy/endpoint`);
      await c.connect();
      const done = collect(c, 1);
      c.sendMessage('sub path', {});
      expect(text((await done)[0]!)).toBe(answerFor('happy', 'sub path'));
    } finally {
      await own.close();
    }
  });
});

describe('official client 5.0.0-beta.26 only', () => {
  it('sends the user typing state, which the simulator counts', async () => {
    const c = new SocketClientV5(sim.url, CREDS.urlToken, { forceWebsockets: true, reconnection: false, sessionId: 'off-typing' });
    open.push(c);
    await c.connect();
    const on = sim.stats.socketUserTypingOn;
    c.sendTypingStatus('typingOn');
    const done = collect(c, 1);
    c.sendMessage('typed', {});
    await done;
    expect(sim.stats.socketUserTypingOn - on).toBe(1);
  });
});
