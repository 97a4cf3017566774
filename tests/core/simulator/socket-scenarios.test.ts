// The simulated Socket Endpoint as a faithful Cognigy (issue 12 §2): every socket scenario and server variant
// over a real loopback socket (socket.io-client v4), asserting what is on the wire.
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedAnswers, type Simulator } from '../../../electron/core/simulator/index';
import { FLOOD_OUTPUTS } from '../../../electron/core/simulator/socket-outputs';
import type { ScenarioName } from '../../../shared/scenarios';
import { CREDS, startSim } from './helpers';
import { connectRaw, next, outputsOf, recordTurn, textOf, type Recorded, type WireOut } from './socket-helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
const open: Socket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const answerFor = (scenario: ScenarioName, input: string) => createScriptedAnswers().plan({ input, scenario, attempt: 1 }).answer;
async function ready(s: Simulator = sim, o: Parameters<typeof connectRaw>[1] = {}): Promise<Socket> {
  const socket = connectRaw(s, o);
  open.push(socket);
  await next(socket, 'endpoint-ready');
  return socket;
}
const cognigy = (o: WireOut) => o.data.data?._cognigy ?? {};
const textOutputs = (ev: Recorded[]) => outputsOf(ev).filter((o) => typeof cognigy(o)._messageId === 'string');

describe('socket scenarios', () => {
  it('closing-text: the closing chunk carries the last sentence; the text is still whole', async () => {
    const ev = await recordTurn(await ready(), 'close it', { scenario: 'closing-text' });
    const chunks = textOutputs(ev);
    const closing = chunks.at(-1)!;
    expect(cognigy(closing)._finishReason).toBe('stop');
    expect(closing.data.text.length).toBeGreaterThan(5);
    expect(/[.!?]$/.test(closing.data.text)).toBe(true);
    expect(textOf(ev)).toBe(answerFor('closing-text', 'close it'));
  });

  it('every output carries source, traceId and disableSensitiveLogging', async () => {
    const ev = await recordTurn(await ready(), 'fields', { scenario: 'happy' });
    for (const o of outputsOf(ev)) {
      expect(o.data.source).toBe('bot');
      expect(o.data.traceId).toMatch(/^[0-9a-f-]{36}$/);
      expect(o.data.disableSensitiveLogging).toBe(false);
    }
  });

  it('empty-first-chunk: the first chunk of the message has empty text', async () => {
    const ev = await recordTurn(await ready(), 'empty first', { scenario: 'empty-first-chunk' });
    const chunks = textOutputs(ev);
    expect(chunks[0]!.data.text).toBe('');
    expect(chunks[1]!.data.text.length).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => cognigy(c)._messageId)).size).toBe(1);
    expect(textOf(ev)).toBe(answerFor('empty-first-chunk', 'empty first'));
  });

  it('rich-content: quick replies after the 2nd chunk and a gallery after the 4th, no text, no _messageId', async () => {
    const ev = await recordTurn(await ready(), 'rich', { scenario: 'rich-content' });
    const outs = outputsOf(ev);
    const qr = outs.findIndex((o) => (cognigy(o)._default as Record<string, unknown> | undefined)?._quickReplies);
    const gal = outs.findIndex((o) => (cognigy(o)._default as Record<string, unknown> | undefined)?._gallery);
    expect(qr).toBe(2);
    expect(gal).toBe(5);
    for (const i of [qr, gal]) {
      expect(outs[i]!.data.text).toBe('');
      expect(cognigy(outs[i]!)._messageId).toBeUndefined();
    }
    expect(cognigy(outs[qr]!)._webchat).toMatchObject({ message: { quick_replies: [{ title: 'Yes, thanks' }, { title: 'Tell me more' }] } });
    expect(textOf(ev)).toBe(answerFor('rich-content', 'rich'));
  });

  it('control-command: a setRating command after the answer, before finalPing', async () => {
    const ev = await recordTurn(await ready(), 'rate', { scenario: 'control-command' });
    const outs = outputsOf(ev);
    expect(cognigy(outs.at(-1)!).controlCommands).toEqual([{ type: 'setRating', parameters: expect.any(Object) }]);
    expect(cognigy(outs.at(-2)!)._finishReason).toBe('stop');
  });

  it('handover: bot answer, a queue update and live-agent event, then source:"agent" outputs', async () => {
    const ev = await recordTurn(await ready(), 'human please', { scenario: 'handover' });
    const outs = outputsOf(ev);
    const agent = outs.filter((o) => o.data.source === 'agent');
    expect(agent.map((o) => o.data.text)).toEqual(['Hi, this is Sam from the support team.', 'I can see your question above; let me check that for you.']);
    expect(outs.some((o) => (cognigy(o)._webchat3 as { type?: string } | undefined)?.type === 'queueUpdate')).toBe(true);
    expect(outs.some((o) => (cognigy(o)._webchat3 as { type?: string } | undefined)?.type === 'liveAgentEvent')).toBe(true);
    expect(outs.findIndex((o) => o.data.source === 'agent')).toBeGreaterThan(outs.findIndex((o) => cognigy(o)._finishReason === 'stop'));
  });

  it('typing: on before the answer, off/on around a pause mid-answer, off after finalPing', async () => {
    const ev = await recordTurn(await ready(), 'type', { scenario: 'typing' });
    const typing = ev.filter((e) => e.event === 'typingStatus').map((e) => (e.payload as { status: string }).status);
    expect(typing).toEqual(['typingOn', 'typingOff', 'typingOn', 'typingOff']);
    const firstOff = ev.findIndex((e) => e.event === 'typingStatus' && (e.payload as { status: string }).status === 'typingOff');
    expect(ev.slice(0, firstOff).filter((e) => e.event === 'output').length).toBe(2);
  });

  it('flow-usage: a data output with the stored result {finishReason, usage} after the answer', async () => {
    const ev = await recordTurn(await ready(), 'usage', { scenario: 'flow-usage' });
    const last = outputsOf(ev).at(-1)!;
    const plan = createScriptedAnswers().plan({ input: 'usage', scenario: 'flow-usage', attempt: 1 });
    expect(last.data.data.promptResult).toEqual({ finishReason: 'stop', usage: plan.usage });
  });

  it('malformed-outputs: five bad outputs after the 2nd chunk, then the rest of the answer', async () => {
    const ev = await recordTurn(await ready(), 'bad', { scenario: 'malformed-outputs' });
    const outs = outputsOf(ev);
    expect(outs[2]).toEqual({ type: 'output' });
    expect(outs[3]).toEqual({ type: 'output', data: 'just a string' });
    expect(cognigy(outs[4]!)._messageId).toBe(42);
    expect(cognigy(outs[5]!)._finishReason).toBe('stop');
    expect(JSON.stringify(outs[6]).length).toBeGreaterThan(300_000);
    expect(cognigy(outs.at(-1)!)._finishReason).toBe('stop');
  });

  it(`output-flood: ${FLOOD_OUTPUTS} chunks of one message, then the closing chunk and finalPing`, async () => {
    const ev = await recordTurn(await ready(), 'flood', { scenario: 'output-flood' }, { ms: 30_000 });
    const outs = textOutputs(ev);
    expect(outs.length).toBe(FLOOD_OUTPUTS + 1);
    expect(outs[FLOOD_OUTPUTS - 1]!.data.text).toBe(`w${FLOOD_OUTPUTS - 1} `);
    expect(cognigy(outs.at(-1)!)._finishReason).toBe('stop');
  });

  it('reconnect: server disconnect mid-stream; on reconnect a new endpoint-ready, then the rest minus the chunk lost meanwhile', async () => {
    const first = await ready(sim, { sessionId: 'sess-rc' });
    const before: WireOut[] = [];
    first.on('output', (o: WireOut, ack?: () => void) => {
      ack?.();
      before.push(o);
    });
    const gone = next<string>(first, 'disconnect');
    const lostBefore = sim.stats.socketOutputsLost;
    const readiesBefore = sim.stats.socketReadies;
    first.emit('processInput', { URLToken: CREDS.urlToken, userId: 'user-raw', sessionId: 'sess-rc', text: 'keep going', data: { scenario: 'reconnect' } });
    expect(await gone).toBe('io server disconnect');
    expect(before.length).toBe(3);
    const second = connectRaw(sim, { sessionId: 'sess-rc' });
    open.push(second);
    const after: WireOut[] = [];
    second.on('output', (o: WireOut, ack?: () => void) => {
      ack?.();
      after.push(o);
    });
    // At speed 0 the rest follows endpoint-ready at once: listen for both before waiting on either.
    const readyAgain = next(second, 'endpoint-ready');
    const finalPing = next(second, 'finalPing', 10_000);
    await readyAgain;
    await finalPing;
    expect(sim.stats.socketReadies - readiesBefore).toBe(1);
    expect(sim.stats.socketOutputsLost - lostBefore).toBe(1);
    expect(new Set([...before, ...after].map((o) => cognigy(o)._messageId)).size).toBe(1);
    expect(cognigy(after.at(-1)!)._finishReason).toBe('stop');
    const received = [...before, ...after].map((o) => o.data.text).join('');
    const whole = answerFor('reconnect', 'keep going');
    expect(received.length).toBeLessThan(whole.length);
    expect(whole.startsWith(before.map((o) => o.data.text).join(''))).toBe(true);
    expect(whole.endsWith(after.map((o) => o.data.text).join(''))).toBe(true);
  });
});

describe('server variants', () => {
  it('endpoint-ready never sent (sendEndpointReady false): the connection is accepted and input answered', async () => {
    const own = await startSim({ sendEndpointReady: false });
    try {
      const socket = connectRaw(own);
      open.push(socket);
      let readies = 0;
      socket.on('endpoint-ready', () => readies++);
      await next(socket, 'connect');
      const ev = await recordTurn(socket, 'old server', {});
      expect(readies).toBe(0);
      expect(own.stats.socketReadies).toBe(0);
      expect(textOf(ev)).toBe(answerFor('happy', 'old server'));
    } finally {
      await own.close();
    }
  });

  it('WebSocket only: polling is refused, WebSocket works', async () => {
    const own = await startSim({ socketTransports: 'websocket' });
    try {
      const polling = connectRaw(own, { transports: ['polling', 'websocket'] });
      open.push(polling);
      const err = await next<Error>(polling, 'connect_error');
      expect(err.message).toMatch(/xhr poll error/);
      const ws = await ready(own);
      expect(textOf(await recordTurn(ws, 'ws only', {}))).toBe(answerFor('happy', 'ws only'));
    } finally {
      await own.close();
    }
  });

  it('sub-path: Socket.IO at <path>/socket.io only, the settings GET at <path>/<URLToken>', async () => {
    const own = await startSim({ endpointBasePath: '/cognigy/endpoint/' });
    try {
      expect(own.socketPath).toBe('/cognigy/endpoint/socket.io');
      const root = connectRaw(own, { path: '/socket.io' });
      open.push(root);
      await expect(next(root, 'connect_error')).resolves.toBeInstanceOf(Error);
      const sub = await ready(own);
      expect(textOf(await recordTurn(sub, 'sub path', {}))).toBe(answerFor('happy', 'sub path'));
      const settings = await fetch(`${own.url}/cognigy/endpoint/${CREDS.urlToken}`);
      expect(settings.status).toBe(200);
      expect((await fetch(`${own.url}/${CREDS.urlToken}`)).status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it('the Webchat settings GET answers the configured streaming flags (default both off)', async () => {
    const r = await fetch(`${sim.url}/${CREDS.urlToken}`);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(await r.json()).toEqual({ active: true, URLToken: CREDS.urlToken, settings: { behavior: { collateStreamedOutputs: false, progressiveMessageRendering: false } } });
    const own = await startSim({ webchatSettings: { collateStreamedOutputs: true, progressiveMessageRendering: true } });
    try {
      const body = (await (await fetch(`${own.url}/${CREDS.urlToken}`)).json()) as { settings: { behavior: Record<string, boolean> } };
      expect(body.settings.behavior).toEqual({ collateStreamedOutputs: true, progressiveMessageRendering: true });
      expect(own.stats.webchatSettingsRequests).toBe(1);
      expect((await fetch(`${own.url}/not-the-token`)).status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it('records processInput payloads and the user typing state the client sends', async () => {
    const socket = await ready(sim, { sessionId: 'sess-in' });
    const on = sim.stats.socketUserTypingOn;
    const off = sim.stats.socketUserTypingOff;
    socket.emit('typingStatus', { status: 'typingOn' });
    socket.emit('typingStatus', { status: 'typingOff' });
    // Events of one socket are handled in order: by the end of the turn both typing events were counted.
    await recordTurn(socket, 'recorded', {}, { sessionId: 'sess-in' });
    expect(sim.stats.socketUserTypingOn - on).toBe(1);
    expect(sim.stats.socketUserTypingOff - off).toBe(1);
    expect(sim.socketInputs.at(-1)).toMatchObject({ sessionId: 'sess-in', payload: { text: 'recorded', passthroughIP: null, resetFlow: false, channel: 'socket-client' } });
  });
});
