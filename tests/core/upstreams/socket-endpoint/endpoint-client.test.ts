// The endpoint client meets real connection life and real outputs (issue 12 §1), end to end: session engine →
// socket endpoint upstream (persistent connection, own reconnect loop) → the simulator over real sockets.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Environment, SocketEndpointEnvironment } from '../../../../shared/environment';
import type { SessionEvent } from '../../../../shared/events';
import { createScriptedAnswers, type Simulator, type SimulatorOptions } from '../../../../electron/core/simulator/index';
import { createSessionEngine, type SessionEngine } from '../../../../electron/core/session/session-engine';
import { createMemoryStore } from '../../../../electron/core/secrets/memory-store';
import type { ScenarioName } from '../../../../shared/scenarios';
import { CREDS, startSim } from '../../simulator/helpers';
import { createChanges } from '../../../helpers/until';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
const engines: SessionEngine[] = [];
const sims: Simulator[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const s of sims.splice(0)) await s.close();
});

function env(s: Simulator, extra: Record<string, unknown> = {}, path = ''): Environment {
  return Environment.parse({
    name: 'sock',
    kind: 'socket-endpoint',
    socketEndpoint: { endpointUrl: `${s.url}${path}/${CREDS.urlToken}`, urlToken: CREDS.urlToken, userId: 'user-1', reconnectIntervalMs: 20, ...extra },
  });
}
function engine(e: Environment, sessionId?: string) {
  const eng = createSessionEngine({ environment: e, secrets: createMemoryStore({}), idleTimeoutMs: 5_000, ...(sessionId ? { identity: { sessionId } } : {}) });
  engines.push(eng);
  const events: SessionEvent[] = [];
  const changes = createChanges();
  eng.subscribe((ev) => {
    events.push(ev);
    changes.notify();
  });
  const of = <T extends SessionEvent['type']>(t: T) => events.filter((x): x is Extract<SessionEvent, { type: T }> => x.type === t);
  return { eng, events, of, changes };
}
const answerFor = (scenario: ScenarioName, input: string) => createScriptedAnswers().plan({ input, scenario, attempt: 1 }).answer;
async function own(opts: Partial<SimulatorOptions>) {
  const s = await startSim(opts);
  sims.push(s);
  return s;
}

describe('processInput and what outputs carry', () => {
  it('sends the real clients\' top-level fields (passthroughIP null, resetFlow boolean, channel), data null without a scenario', async () => {
    const { eng } = engine(env(sim, { channel: 'webchat3', resetFlow: true }), 'sess-fields');
    await eng.startTurn({ input: 'fields please' });
    const got = sim.socketInputs.filter((i) => i.sessionId === 'sess-fields').at(-1)!.payload;
    expect(got).toEqual({ URLToken: CREDS.urlToken, userId: 'user-1', sessionId: 'sess-fields', channel: 'webchat3', source: 'device', passthroughIP: null, resetFlow: true, text: 'fields please', data: null });
    expect(SocketEndpointEnvironment.parse({ name: 'x', kind: 'socket-endpoint', socketEndpoint: { endpointUrl: 'https://e.example/t', urlToken: 't' } }).socketEndpoint).toMatchObject({ channel: 'socket-client', resetFlow: false, passthroughIP: null, transport: 'websocket', reconnectIntervalMs: 10_000, reconnectionLimit: 5 });
  });

  it('never sends empty text: a blank input is refused before anything goes out', async () => {
    const before = sim.socketInputs.length;
    const { eng } = engine(env(sim));
    const s = await eng.startTurn({ input: '   ' });
    expect(s.status).toBe('failed');
    expect(s.cause).toBe('bad_request');
    expect(s.error).toMatch(/the message is empty/);
    expect(sim.socketInputs.length).toBe(before);
  });

  it('tokens keep source, traceId and disableSensitiveLogging; agent outputs after a handover are source agent', async () => {
    const { eng, of } = engine(env(sim));
    const s = await eng.startTurn({ input: 'human please', scenario: 'handover' });
    expect(s.status).toBe('complete');
    const tokens = of('token');
    expect(tokens.every((t) => typeof t.origin.traceId === 'string' && t.origin.disableSensitiveLogging === false)).toBe(true);
    expect(tokens.filter((t) => t.origin.source === 'agent').map((t) => t.text)).toEqual(['Hi, this is Sam from the support team.', 'I can see your question above; let me check that for you.']);
    expect(tokens.filter((t) => t.origin.source === 'bot').length).toBeGreaterThan(3);
    const events = of('output.structured').map((e) => [e.kind, e.summary]);
    expect(events).toEqual([
      ['webchat-event', 'queue update: position 1, about 30 s'],
      ['webchat-event', 'live agent: agentJoined · Sam · Sam joined the conversation'],
    ]);
  });

  it('rich content becomes structured outputs at their place in the dialog, never answer text', async () => {
    const { eng, of } = engine(env(sim));
    const s = await eng.startTurn({ input: 'rich', scenario: 'rich-content' });
    expect(s.status).toBe('complete');
    expect(s.rawText).toBe(answerFor('rich-content', 'rich'));
    const st = of('output.structured');
    expect(st.map((e) => [e.kind, e.path, e.summary])).toEqual([
      ['rich-content', 'data._cognigy._default', 'quick replies: "Yes, thanks" · "Tell me more"'],
      ['rich-content', 'data._cognigy._webchat', 'quick replies: "Yes, thanks" · "Tell me more"'],
      ['rich-content', 'data._cognigy._default', 'gallery: 3 cards'],
    ]);
    const tokens = of('token');
    // At its place: after the 2nd text output, before the 3rd.
    expect(st[0]!.frame).toBe(tokens[1]!.origin.frame + 1);
    expect(st[0]!.position).toBe(tokens[0]!.text!.length + tokens[1]!.text!.length);
    expect(JSON.parse(st[2]!.json!)).toMatchObject({ _gallery: { type: 'carousel' } });
    expect(st.every((e) => e.source === 'bot' && e.traceId)).toBe(true);
  });

  it('a control command is a structured output', async () => {
    const { eng, of } = engine(env(sim));
    await eng.startTurn({ input: 'rate', scenario: 'control-command' });
    expect(of('output.structured').map((e) => [e.kind, e.summary])).toEqual([['control-command', 'control command: setRating']]);
  });

  it('server typing on/off appears on the timeline; the typingOff after finalPing says it came after the end', async () => {
    const { eng, of, events, changes } = engine(env(sim));
    await eng.startTurn({ input: 'type', scenario: 'typing' });
    // The simulator sends it right after finalPing: on the wire it may come a tick after the end.
    await changes.until(() => of('typing').length === 4, 'the fourth typing state');
    expect(of('typing').map((e) => `${e.from}:${e.status}${e.afterEnd ? ' (after the end)' : ''}`)).toEqual(['server:typingOn', 'server:typingOff', 'server:typingOn', 'server:typingOff (after the end)']);
    expect(events.indexOf(of('typing')[3]!)).toBeGreaterThan(events.indexOf(of('message.end').at(-1)!));
  });

  it('the closing chunk\'s text is kept in the answer and named on message.end', async () => {
    const { eng, of } = engine(env(sim));
    const s = await eng.startTurn({ input: 'close it', scenario: 'closing-text' });
    expect(s.rawText).toBe(answerFor('closing-text', 'close it'));
    const end = of('message.end').at(-1)!;
    expect(end.finishReason).toBe('stop');
    expect(end.closingText && s.rawText.endsWith(end.closingText)).toBe(true);
    expect(end.frame).toBe(of('token').at(-1)!.origin.frame);
  });

  it('a flow\'s stored usage at the environment\'s path is the reported usage; without the path it stays estimated', async () => {
    const plan = createScriptedAnswers().plan({ input: 'usage', scenario: 'flow-usage', attempt: 1 });
    const withPath = engine(env(sim, { usagePath: 'data.promptResult.usage' }));
    await withPath.eng.startTurn({ input: 'usage', scenario: 'flow-usage' });
    const u = withPath.of('usage')[0]!;
    expect(u).toMatchObject({ source: 'reported', reportedBy: 'flow', reportedPath: 'data.promptResult.usage' });
    expect(u.reported).toEqual({ prompt: plan.usage.prompt_tokens, completion: plan.usage.completion_tokens, total: plan.usage.total_tokens });
    expect(typeof u.drift).toBe('number');
    const without = engine(env(sim));
    await without.eng.startTurn({ input: 'usage', scenario: 'flow-usage' });
    expect(without.of('usage')[0]).toMatchObject({ source: 'estimated' });
    expect(without.of('usage')[0]!.reported).toBeUndefined();
    // The stored result is still shown as what it is: data beside the answer.
    expect(without.of('output.structured').map((e) => e.path)).toEqual(['data.promptResult']);
  });

  it('the user typing state goes out only when asked (off by default), and is on the timeline', async () => {
    const s = await own({});
    const { eng, of } = engine(env(s));
    await eng.startTurn({ input: 'no typing' });
    expect(s.stats.socketUserTypingOn).toBe(0);
    expect(of('typing').filter((e) => e.from === 'client')).toEqual([]);
    await eng.startTurn({ input: 'typed by a user', userTyping: true });
    expect([s.stats.socketUserTypingOn, s.stats.socketUserTypingOff]).toEqual([1, 1]);
    expect(of('typing').filter((e) => e.from === 'client').map((e) => e.status)).toEqual(['typingOn', 'typingOff']);
  });
});

describe('URL and transport', () => {
  it('an endpoint under a sub-path is reached at <path>/socket.io', async () => {
    const s = await own({ endpointBasePath: '/cognigy/endpoint' });
    const { eng } = engine(env(s, {}, '/cognigy/endpoint'));
    const r = await eng.startTurn({ input: 'sub path' });
    expect(r.status).toBe('complete');
    expect(r.rawText).toBe(answerFor('happy', 'sub path'));
  });

  it('polling with upgrade works against a server that offers both; WebSocket only is the default', async () => {
    const s = await own({});
    const polling = engine(env(s, { transport: 'polling' }));
    expect((await polling.eng.startTurn({ input: 'poll' })).status).toBe('complete');
    expect(s.stats.socketHandshakes).toEqual({ polling: 1, websocket: 0 });
    const ws = engine(env(s));
    expect((await ws.eng.startTurn({ input: 'ws' })).status).toBe('complete');
    expect(s.stats.socketHandshakes).toEqual({ polling: 1, websocket: 1 });
    expect(ws.of('connection').find((e) => e.state === 'connected')?.transport).toBe('websocket');
  });

  it('a WebSocket-only server refusing polling gets an error naming the transport', async () => {
    const s = await own({ socketTransports: 'websocket' });
    const { eng } = engine(env(s, { transport: 'polling' }));
    const r = await eng.startTurn({ input: 'poll' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/refused the polling transport .*HTTP 400.*set the environment's transport to "websocket"/);
  });

  it('a polling-only server refusing WebSocket gets an error naming the transport', async () => {
    const s = await own({ socketTransports: 'polling' });
    const { eng } = engine(env(s));
    const r = await eng.startTurn({ input: 'ws' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/refused the WebSocket transport .*400.*set the environment's transport to "polling"/);
  });
});
