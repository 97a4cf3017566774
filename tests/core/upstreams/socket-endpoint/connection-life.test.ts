// Connection life of the socket endpoint client (issue 12 §1): its own reconnect loop, a fresh endpoint-ready
// after every connect, input buffered before ready and sent in order, RECONNECTION_LIMIT as a typed cause,
// and a reconnect mid-answer shown where the stream broke with an honest status. Real sockets, the simulator.
import { afterEach, describe, expect, it } from 'vitest';
import { Environment } from '../../../../shared/environment';
import type { ConnectionEvent, SessionEvent } from '../../../../shared/events';
import { createScriptedAnswers, type Simulator, type SimulatorOptions } from '../../../../electron/core/simulator/index';
import { createSessionEngine, type SessionEngine } from '../../../../electron/core/session/session-engine';
import { createMemoryStore } from '../../../../electron/core/secrets/memory-store';
import { createEndpointConnection, type ConnectionNote, type EndpointChannel } from '../../../../electron/core/upstreams/socket-endpoint/endpoint-connection';
import { CREDS, startSim } from '../../simulator/helpers';

let sessions = 0;
const engines: SessionEngine[] = [];
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const c of closers.splice(0)) await c();
});
async function sim(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const s = await startSim(opts);
  closers.push(() => s.close());
  return s;
}
function engine(s: Simulator, extra: Record<string, unknown> = {}) {
  const environment = Environment.parse({
    name: 'sock',
    kind: 'socket-endpoint',
    socketEndpoint: { endpointUrl: `${s.url}/${CREDS.urlToken}`, urlToken: CREDS.urlToken, userId: 'user-1', reconnectIntervalMs: 20, ...extra },
  });
  const eng = createSessionEngine({ environment, secrets: createMemoryStore({}), idleTimeoutMs: 5_000, identity: { sessionId: `sess-life-${++sessions}` } });
  engines.push(eng);
  const events: SessionEvent[] = [];
  eng.subscribe((e) => events.push(e));
  const of = <T extends SessionEvent['type']>(t: T) => events.filter((x): x is Extract<SessionEvent, { type: T }> => x.type === t);
  return { eng, events, of };
}
/** Resolves when `pred` holds for a pushed value; rejects after `ms`. */
function waitFor<T>(subscribe: (f: (v: T) => void) => void, pred: (v: T) => boolean, what: string, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    subscribe((v) => {
      if (pred(v)) {
        clearTimeout(timer);
        resolve(v);
      }
    });
  });
}

describe('a reconnect mid-answer', () => {
  it('is shown where the stream broke and what came after; the answer ends damaged, not complete', async () => {
    const s = await sim();
    const { eng, of } = engine(s);
    const r = await eng.startTurn({ input: 'keep going', scenario: 'reconnect' });
    const conn = of('connection');
    const states = conn.map((e) => e.state);
    // The first connect, then the break, one attempt, a new connection and a NEW endpoint-ready.
    expect(states).toEqual(['connected', 'ready', 'disconnected', 'reconnecting', 'connected', 'ready']);
    const broke = conn[2]!;
    expect(broke.reason).toBe('io server disconnect');
    expect(broke.openMessages).toHaveLength(1);
    const tokens = of('token');
    const before = tokens.filter((t) => t.at <= broke.at);
    expect(broke.position).toBe(before.map((t) => t.text!).join('').length);
    expect(conn[3]).toMatchObject({ attempt: 1, limit: 5 });
    expect(conn[5]!.readyMs).toBeGreaterThanOrEqual(0);
    expect(tokens.some((t) => t.at > conn[5]!.at)).toBe(true);
    const lost = of('frame.issue').find((i) => i.kind === 'connection-lost')!;
    expect(lost.position).toBe(broke.position);
    expect(r.status).toBe('damaged');
    expect(of('turn.end')[0]!.damage).toEqual([{ kind: 'connection-lost', count: 1, firstPosition: broke.position }]);
    // One chunk was lost while the socket was gone: the received text is the plan's answer minus it.
    const whole = createScriptedAnswers().plan({ input: 'keep going', scenario: 'reconnect', attempt: 1 }).answer;
    expect(r.rawText.length).toBeLessThan(whole.length);
    expect(whole.startsWith(r.rawText.slice(0, broke.position))).toBe(true);
    expect(whole.endsWith(r.rawText.slice(broke.position))).toBe(true);
    expect(s.stats.socketReadies).toBe(2);
  });

  it('gives up after the limit with the typed cause reconnection_limit; the text so far is kept (partial)', async () => {
    const s = await sim({ reconnectWaitMs: 60_000 });
    const { eng, events } = engine(s, { reconnectionLimit: 2 });
    const listeners: Array<(e: SessionEvent) => void> = [];
    eng.subscribe((e) => listeners.forEach((l) => l(e)));
    const turn = eng.startTurn({ input: 'keep going', scenario: 'reconnect' });
    await waitFor<SessionEvent>((f) => listeners.push(f), (e) => e.type === 'connection' && e.state === 'disconnected', 'the break');
    await s.close();
    const r = await turn;
    expect(r.status).toBe('partial');
    expect(r.cause).toBe('reconnection_limit');
    expect(r.error).toMatch(/gave up reconnecting to the Socket Endpoint after 2 attempts \(RECONNECTION_LIMIT\)/);
    expect(r.rawText.length).toBeGreaterThan(0);
    const conn = events.filter((e): e is ConnectionEvent => e.type === 'connection').map((e) => `${e.state}${e.attempt ? ` ${e.attempt}/${e.limit}` : ''}`);
    expect(conn).toEqual(['connected', 'ready', 'disconnected', 'reconnecting 1/2', 'reconnecting 2/2', 'gave-up 2/2']);
  });
});

describe('input before ready', () => {
  it('is buffered while reconnecting and sent in order after the new endpoint-ready; nothing is dropped', async () => {
    const s = await sim();
    const c = createEndpointConnection(
      { serverUrl: s.url, urlToken: CREDS.urlToken, userId: 'u', testMode: true, transport: 'websocket', readyTimeoutMs: 2_000, reconnectIntervalMs: 30, reconnectionLimit: 5 },
      'sess-buffer',
    );
    closers.push(() => c.close());
    const { socket } = await c.channel(new AbortController().signal, () => undefined);
    const notes: ConnectionNote[] = [];
    const noteListeners: Array<(n: ConnectionNote) => void> = [];
    socket.on('connection', (n: ConnectionNote) => {
      notes.push(n);
      noteListeners.forEach((l) => l(n));
    });
    const finals: number[] = [];
    const finalListeners: Array<(n: number) => void> = [];
    const texts: string[] = [];
    socket.on('output', (o: { data?: { text?: string } }, ack?: () => void) => {
      ack?.();
      texts.push(o.data?.text ?? '');
    });
    socket.on('finalPing', (_p: unknown, ack?: () => void) => {
      ack?.();
      finals.push(finals.length + 1);
      finalListeners.forEach((l) => l(finals.length));
    });
    const send = (ch: EndpointChannel, text: string, scenario?: string) =>
      ch.emit('processInput', { URLToken: CREDS.urlToken, userId: 'u', sessionId: 'sess-buffer', text, data: scenario ? { scenario } : null });
    // `revoked`: an exception, then the server disconnects the socket.
    const broke = waitFor<ConnectionNote>((f) => noteListeners.push(f), (n) => n.state === 'disconnected', 'the server disconnect');
    send(socket, 'revoke me', 'revoked');
    await broke;
    const inputsBefore = s.socketInputs.length;
    send(socket, 'first');
    send(socket, 'second');
    expect(notes.filter((n) => n.state === 'input-buffered').map((n) => n.buffered)).toEqual([1, 2]);
    const bothAnswered = waitFor<number>((f) => finalListeners.push(f), (n) => n >= 2, 'both answers');
    await bothAnswered;
    const sent = notes.find((n) => n.state === 'input-sent')!;
    expect(sent.buffered).toBe(2);
    expect(notes.indexOf(sent)).toBeGreaterThan(notes.findIndex((n, i) => n.state === 'ready' && i > notes.findIndex((m) => m.state === 'disconnected')));
    expect(s.socketInputs.slice(inputsBefore).map((i) => i.payload.text)).toEqual(['first', 'second']);
    const answer = (input: string) => createScriptedAnswers().plan({ input, scenario: 'happy', attempt: 1 }).answer;
    expect(texts.join('')).toContain(answer('first') + answer('second'));
  });
});
