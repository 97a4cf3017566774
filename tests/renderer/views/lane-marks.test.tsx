// The lanes show what a Socket Endpoint dialog holds beside the answer text, at its place: structured
// outputs as rows (kind, summary, the JSON on demand; never glued into the text), a reconnect mid-answer
// (where it broke, what came after, and that the answer is not whole), typing on/off inline and on the
// timeline, and a live agent's outputs as such. The events come from the real engine against the simulator
// over a real socket, pushed as main would; the typing toggle runs real turns through the real app service.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Environment } from '../../../shared/environment';
import type { SessionEvent } from '../../../shared/events';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { boot, createAppStore, StoreProvider, type AppStore } from '../../../renderer/src/store/store';
import { applyEvents, EMPTY_TURNS } from '../../../renderer/src/store/turn-model';
import { createLayoutCache, locateRow } from '../../../renderer/src/text/lane-layout';
import { lineOf } from '../../../renderer/src/text/text-lines';
import { App } from '../../../renderer/src/views/App';
import { startPeer, type TestPeer } from '../../helpers/simulator';
import { createChanges } from '../../helpers/until';
import { createRealApi, type RealApi } from '../real-api';

let peer: TestPeer;
let socketEnv: Environment;
beforeAll(async () => {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  peer = await startPeer();
  // A fast reconnect loop (the default waits 10 s between attempts, as the official client).
  socketEnv = Environment.parse({ ...peer.socketEnv, socketEndpoint: { ...peer.socketEnv.socketEndpoint, apiUrl: undefined, reconnectIntervalMs: 50 } });
});
afterAll(async () => {
  await peer?.sim.close();
});

/** One turn of the real engine against the simulator's Socket Endpoint (and, with `also`, until it holds). */
async function socketTurn(scenario: string, userTyping = false, also?: (events: SessionEvent[]) => boolean): Promise<SessionEvent[]> {
  const engine = createSessionEngine({ environment: socketEnv, secrets: peer.secrets });
  const events: SessionEvent[] = [];
  const changes = createChanges();
  engine.subscribe((e) => {
    events.push(e);
    changes.notify();
  });
  try {
    await engine.startTurn({ input: 'hi', scenario, userTyping });
    if (also) await changes.until(() => also(events), 'what the turn should also bring', 5_000);
  } finally {
    await engine.close();
  }
  return events;
}

let api: RealApi;
let store: AppStore;
beforeEach(async () => {
  api = createRealApi();
  store = createAppStore(api);
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  await act(() => boot(store));
});
afterEach(async () => {
  cleanup();
  store.dispose();
  await api.close();
  localStorage.clear();
});

const emit = (events: SessionEvent[]) => act(async () => api.emit(events));
/** Waits (on pushes, not a timer) until `check` holds, letting React apply what arrived. */
const until = async <T,>(check: () => T | undefined | null | false, what: string): Promise<T> => {
  let v: T | undefined | null | false;
  await act(async () => {
    v = await api.changes.until(check, what);
  });
  return v as T;
};
const lane = (name: string) => screen.getByRole('region', { name });

describe('structured outputs in the lanes', () => {
  it('rich content between text chunks: a row per output at its place, the JSON on demand, never in the answer text', async () => {
    const events = await socketTurn('rich-content');
    const structured = events.filter((e): e is Extract<SessionEvent, { type: 'output.structured' }> => e.type === 'output.structured');
    expect(structured.map((e) => e.summary)).toEqual(expect.arrayContaining(['quick replies: "Yes, thanks" · "Tell me more"', 'gallery: 3 cards']));
    // Where the rows go: between the line that ends before them and the text after them.
    const { turns } = applyEvents(EMPTY_TURNS, events);
    const t = turns.byId[turns.order[0]!]!;
    const layout = createLayoutCache().layout([t], 80);
    const rows = Array.from({ length: layout.total }, (_, i) => locateRow(layout, i)!);
    t.marks.forEach((m, i) => {
      if (m.kind !== 'structured') return;
      const at = rows.findIndex((r) => r.kind === 'mark' && r.mark === i && r.sub === 0);
      expect(at).toBeGreaterThan(0);
      const line = lineOf(t.raw, Math.max(0, m.position - 1));
      const lastOfLine = rows.findLastIndex((r) => r.kind === 'line' && r.line === line);
      expect(at).toBeGreaterThan(lastOfLine);
      const next = rows.findIndex((r) => r.kind === 'line' && r.line === line + 1);
      if (next >= 0) expect(at).toBeLessThan(next);
    });

    await emit(events);
    const raw = lane('Raw tokens');
    const markRows = [...raw.querySelectorAll('.row-mark')].map((r) => r.textContent ?? '');
    expect(markRows.filter((r) => r.includes('rich content')).length).toBe(structured.length);
    expect(markRows.some((r) => r.includes('quick replies: "Yes, thanks" · "Tell me more"') && r.includes('data._cognigy._default'))).toBe(true);
    expect(markRows.some((r) => r.includes('gallery: 3 cards'))).toBe(true);
    // An inline marker where each one arrived; the answer text itself holds none of it.
    expect(raw.querySelectorAll('.lane-mark.lm-structured').length).toBe(structured.length);
    const answer = [...raw.querySelectorAll('.row:not(.row-mark):not(.row-head):not(.row-foot) .code')].map((c) => c.textContent).join('');
    expect(answer).not.toMatch(/quick|gallery|Yes, thanks/);
    // The filtered lane has the same rows and says they pass unfiltered.
    expect(lane('Filtered tokens').querySelectorAll('.row-mark').length).toBe(raw.querySelectorAll('.row-mark').length);
    expect(lane('Filtered tokens').textContent).toMatch(/reaches the end user as sent \(not filtered\)/);

    // The JSON on demand: the rows of its pretty JSON open under it, and close again.
    const first = structured[0]!;
    const button = within(raw).getByRole('button', { name: `Show the JSON of rich content at ${first.path} (output ${first.frame})` });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    const before = raw.querySelectorAll('.row-json').length;
    fireEvent.click(button);
    const json = [...raw.querySelectorAll('.row-json')].map((r) => r.textContent).join('\n');
    expect(raw.querySelectorAll('.row-json').length).toBeGreaterThan(before);
    expect(json).toContain(JSON.stringify(JSON.parse(first.json!), null, 2).split('\n')[1]!.trim());
    const again = within(raw).getAllByRole('button', { name: /Hide the JSON of rich content/ })[0]!;
    expect(again.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(again);
    expect(raw.querySelectorAll('.row-json').length).toBe(before);
  });

  it('a handover: the live agent’s outputs are marked as the agent’s, the Webchat event as a row', async () => {
    const events = await socketTurn('handover');
    await emit(events);
    const raw = lane('Raw tokens');
    const rows = [...raw.querySelectorAll('.row-mark')].map((r) => r.textContent ?? '');
    expect(rows.some((r) => /Webchat event.*live agent: agentJoined · Sam/.test(r))).toBe(true);
    expect(rows.some((r) => r.includes('live agent from here (output source "agent")'))).toBe(true);
    // The agent row comes after the agent-joined event, in dialog order.
    const joined = rows.findIndex((r) => r.includes('agentJoined'));
    const agent = rows.findIndex((r) => r.includes('live agent from here'));
    expect(agent).toBeGreaterThan(joined);
  });
});

describe('a reconnect in the middle of a streamed answer', () => {
  it('marks where the stream broke, shows the way back and what came after, and the status says the answer is not whole', async () => {
    const events = await socketTurn('reconnect');
    const lost = events.find((e): e is Extract<SessionEvent, { type: 'connection' }> => e.type === 'connection' && e.state === 'disconnected')!;
    expect(lost.position).toBeGreaterThan(0);
    const endEv = events.find((e) => e.type === 'turn.end')!;
    expect(endEv).toMatchObject({ status: 'damaged' });
    await emit(events);
    const raw = lane('Raw tokens');
    const marker = raw.querySelector('.lane-mark.lm-connection')!;
    expect(marker.getAttribute('aria-label')).toMatch(/^connection lost \(io server disconnect\)/);
    expect(Number((marker as HTMLElement).dataset.o)).toBe(lost.position);
    const rows = [...raw.querySelectorAll('.row-mark')].map((r) => r.textContent ?? '');
    const broke = rows.findIndex((r) => r.includes('connection lost (io server disconnect)') && r.includes(`at char ${lost.position}`));
    const again = rows.findIndex((r) => r.includes('reconnecting: attempt 1 of 5'));
    const ready = rows.findIndex((r) => /endpoint ready \d+ ms after connecting/.test(r));
    expect(broke).toBeGreaterThanOrEqual(0);
    expect(again).toBeGreaterThan(broke);
    expect(ready).toBeGreaterThan(again);
    // The routine connect and ready before the answer are timeline-only.
    expect(rows.filter((r) => r.includes('endpoint ready')).length).toBe(1);
    // What came after the break is there, after the marker: text follows it in the lanes.
    expect(store.getState().session.turns.byId[endEv.turnId]!.raw.length).toBeGreaterThan(lost.position!);
    const after = [...raw.querySelectorAll('[data-o]')].filter((el) => !el.classList.contains('lane-mark') && Number((el as HTMLElement).dataset.o) >= lost.position!);
    expect(after.map((el) => el.textContent).join('').length).toBeGreaterThan(0);
    expect(raw.querySelector('.row-head')!.textContent).toMatch(/damaged/);
    expect(raw.querySelector('.row-head')!.textContent).toMatch(/damaged⚡ connection broke/);
    expect(raw.textContent).toMatch(/damaged · .*1 connection break mid-answer \(outputs sent meanwhile are lost\) · not the whole answer/);
    // And on the timeline, in time order.
    fireEvent.click(screen.getByRole('tab', { name: /Timing/ }));
    const tl = [...screen.getByRole('region', { name: 'Timeline' }).querySelectorAll('li')].map((li) => li.textContent ?? '');
    const i = tl.findIndex((l) => l.includes('connection lost'));
    expect(i).toBeGreaterThan(0);
    expect(tl.slice(i).some((l) => l.includes('reconnecting: attempt 1 of 5'))).toBe(true);
    expect(tl.at(-1)).toMatch(/turn ended: damaged \(the answer is not whole\)/);
  });
});

describe('typing', () => {
  it('the bot’s typingStatus and the user’s typing state appear inline and on the timeline', async () => {
    // The bot's last typingOff follows its finalPing: it comes after the turn's end, and is waited for.
    const serverTyping = (events: SessionEvent[]) => events.filter((e) => e.type === 'typing' && e.from === 'server').length;
    const events = await socketTurn('typing', true, (ev) => serverTyping(ev) === 4);
    const typing = events.filter((e): e is Extract<SessionEvent, { type: 'typing' }> => e.type === 'typing');
    expect(typing.filter((e) => e.from === 'client').map((e) => e.status)).toEqual(['typingOn', 'typingOff']);
    expect(typing.filter((e) => e.from === 'server').map((e) => `${e.status}${e.afterEnd ? ' after the end' : ''}`)).toEqual(['typingOn', 'typingOff', 'typingOn', 'typingOff after the end']);

    // The one after the end arrives on its own, once the lanes have shown the ended turn.
    const late = typing.at(-1)!;
    await emit(events.filter((e) => e !== late));
    expect(lane('Raw tokens').querySelectorAll('.lane-mark.lm-typing')).toHaveLength(typing.length - 1);
    await emit([late]);
    const chips = [...lane('Raw tokens').querySelectorAll<HTMLElement>('.lane-mark.lm-typing')].map((c) => c.dataset.label);
    expect(chips).toEqual(typing.map((e) => `⌨ ${e.from === 'server' ? 'bot' : 'you'} ${e.status === 'typingOn' ? 'on' : 'off'}`));
    fireEvent.click(screen.getByRole('tab', { name: /Timing/ }));
    const tl = [...screen.getByRole('region', { name: 'Timeline' }).querySelectorAll('li')].map((li) => li.textContent ?? '');
    expect(tl.filter((l) => l.includes('typing')).length).toBe(typing.length);
    expect(tl.some((l) => l.includes('you (sent): typing on'))).toBe(true);
    expect(tl.some((l) => l.includes('bot: typing off'))).toBe(true);
    // The last one says it came after the answer ended (the turn's end may be written before or after it).
    expect(tl.filter((l) => l.includes('bot: typing off (after the answer ended)'))).toHaveLength(1);
    expect(tl.findIndex((l) => l.includes('(after the answer ended)'))).toBe(tl.findLastIndex((l) => l.includes('typing')));
  });

  it('the composer’s "Send typing" toggle (off by default) makes the real session send the user’s typing state', async () => {
    await act(async () => {
      await api.invoke('renderer:env.save', { environment: { ...socketEnv, name: 'sock' } });
      await store.getState().environments.load();
      await store.getState().session.open('sock');
    });
    await until(() => store.getState().session.state === 'open', 'the socket session to open');
    const box = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Send typing' });
    expect(box.checked).toBe(false);
    const send = async (text: string) => {
      const n = store.getState().session.turns.order.length;
      fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: text } });
      fireEvent.keyDown(screen.getByRole('textbox', { name: 'Message' }), { key: 'Enter' });
      return until(() => {
        const s = store.getState().session.turns;
        const t = s.byId[s.order[n] ?? ''];
        return t && t.status !== 'streaming' && t;
      }, `turn "${text}" to end`);
    };
    const clientTyping = (t: { marks: Array<{ kind: string; event?: unknown }> }) =>
      t.marks.flatMap((m) => (m.kind === 'typing' && (m.event as { from: string }).from === 'client' ? [(m.event as { status: string }).status] : []));
    const off = await send('one');
    expect(clientTyping(off)).toEqual([]);
    fireEvent.click(box);
    expect(store.getState().session.userTyping).toBe(true);
    const on = await send('two');
    expect(api.calls.filter((c) => c.channel === 'renderer:turn.start').at(-1)?.request).toMatchObject({ input: 'two', userTyping: true });
    // What the engine sent, as its events say: typing on, then off as the input went out.
    expect(clientTyping(on)).toEqual(['typingOn', 'typingOff']);
    expect(lane('Raw tokens').querySelectorAll('.lane-mark.lm-typing.lm-client').length).toBe(2);
  });
});
