// The bot's typing state can follow its finalPing in a frame of its own: Cognigy emits them separately, and
// Webchat hides its typing indicator whenever the typingOff comes. The turn ends at finalPing, but a typing
// state that arrives after it still belongs to that turn (marked as after its end) until the next one starts;
// dropping it would leave the bot "typing on" in our lanes when Webchat shows it stopped.
// Real sockets; the peer sends the typingOff only once our ack of the finalPing is back (always after the end).
import { afterEach, describe, expect, it } from 'vitest';
import { Environment } from '../../../../shared/environment';
import type { SessionEvent, TypingEvent } from '../../../../shared/events';
import { createSessionEngine } from '../../../../electron/core/session/session-engine';
import { createMemoryStore } from '../../../../electron/core/secrets/memory-store';
import { startTrailingTypingPeer } from '../../../helpers/trailing-typing-peer';
import { createChanges } from '../../../helpers/until';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const typingOf = (events: SessionEvent[], turnId: string) => events.filter((e): e is TypingEvent => e.type === 'typing' && e.turnId === turnId);

describe('a typing state after the turn\'s end', () => {
  it('is the ended turn\'s, marked as after its end; the next turn starts with its own', async () => {
    const peer = await startTrailingTypingPeer();
    closers.push(() => peer.close());
    const environment = Environment.parse({ name: 'sock', kind: 'socket-endpoint', socketEndpoint: { endpointUrl: peer.url, urlToken: 'tok', userId: 'u', reconnectIntervalMs: 20 } });
    const eng = createSessionEngine({ environment, secrets: createMemoryStore({}), idleTimeoutMs: 5_000, identity: { sessionId: 'trailing-typing' } });
    closers.push(() => eng.close());
    const events: SessionEvent[] = [];
    const changes = createChanges();
    eng.subscribe((e) => {
      events.push(e);
      changes.notify();
    });
    const offOf = (turnId: string) => changes.until(() => typingOf(events, turnId).find((e) => e.status === 'typingOff'), `the trailing typingOff of ${turnId}`, 5_000);

    const first = await eng.startTurn({ input: 'one' });
    expect(first.status).toBe('complete');
    const off = await offOf(first.turnId);
    const end = events.find((e) => e.type === 'message.end' && e.turnId === first.turnId)!;
    expect(events.indexOf(off)).toBeGreaterThan(events.indexOf(end));
    expect(off.at).toBeGreaterThanOrEqual(end.at);
    expect(typingOf(events, first.turnId).map((e) => [e.from, e.status, e.afterEnd ?? false])).toEqual([['server', 'typingOn', false], ['server', 'typingOff', true]]);

    // The next turn's typing is its own, not the first turn's.
    const second = await eng.startTurn({ input: 'two' });
    await offOf(second.turnId);
    expect(typingOf(events, first.turnId)).toHaveLength(2);
    expect(typingOf(events, second.turnId).map((e) => [e.status, e.afterEnd ?? false])).toEqual([['typingOn', false], ['typingOff', true]]);
  });
});
