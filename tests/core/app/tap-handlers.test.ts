// The app's tap toggle over the real app service: start it in front of the demo's Socket Endpoint, let
// Cognigy's official client talk through it, see the connection pushed to the window, watch its session
// (history first, then live), and stop it.
import { talkThrough } from '../../helpers/cognigy-frontend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { unpairTokens, type BatchEvent } from '../../../shared/session-batch';
import type { TapStatus } from '../../../shared/tap-ipc';
import { harness, type Harness } from './helpers';

let h: Harness;
beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  h = harness();
});
afterEach(async () => {
  await h.close();
  vi.restoreAllMocks();
});

const statuses = () => h.pushes.filter((p) => p.channel === 'main:tap.status').map((p) => p.payload as TapStatus);
const batchedEvents = (sessionId: string) =>
  h.pushes
    .filter((p) => p.channel === 'main:session.events' && (p.payload as { sessionId: string }).sessionId === sessionId)
    .flatMap((p) => unpairTokens((p.payload as { events: BatchEvent[] }).events));

async function talk(url: string, text: string): Promise<void> {
  await talkThrough(url, [[text, 'pii']], { userId: 'webchat-user', sessionId: 'webchat-session' });
}

describe('app service: tap toggle', () => {
  it('taps the demo endpoint, lists the connection in every window, and lets a window watch it', async () => {
    const started = await h.call('renderer:tap.start', { environment: 'demo' });
    expect(started.ok, started.error?.message).toBe(true);
    const url = started.response.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+/);

    await talk(url, 'my card?');
    const seen = await h.until(() => statuses().find((s) => s.connections[0]?.turns === 1 && !s.connections[0].open), 'the tapped connection closed after one turn');
    expect(seen.connections[0]).toMatchObject({ userId: 'webchat-user', sessionId: 'webchat-session' });

    const watched = await h.call('renderer:tap.watch', { connectionId: seen.connections[0]!.id });
    expect(watched.response).toEqual({ sessionId: 'webchat-session', environment: 'demo', upstream: 'socket-endpoint' });
    const events = await h.until(() => {
      const ev = batchedEvents('webchat-session');
      return ev.some((e) => e.type === 'turn.end') && ev;
    }, 'the watched session\'s turn end');
    expect(events[0]).toMatchObject({ type: 'turn.start', input: 'my card?' });
    expect(events.filter((e) => e.type === 'filtered.text').map((e) => (e as { text: string }).text).join('')).toContain('[CREDIT_CARD]');
    expect(events.find((e) => e.type === 'turn.end')).toMatchObject({ status: 'complete' });

    const refused = await h.call('renderer:turn.start', { sessionId: 'webchat-session', input: 'from the app' });
    expect(refused.error?.code).toBe('conflict');
    expect(refused.error?.message).toMatch(/turns come from your own frontend/);

    expect((await h.call('renderer:tap.stop', {})).response).toEqual({ running: false, connections: [] });
    expect(statuses().at(-1)).toEqual({ running: false, connections: [] });
  });

  it('refuses a gateway environment and an unknown one; closing the service stops the tap', async () => {
    await h.call('renderer:env.save', { environment: { name: 'gw', kind: 'gateway', gateway: { host: 'gw.example.com', clientId: 'c' } } });
    expect((await h.call('renderer:tap.start', { environment: 'gw' })).error).toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/sits in front of a Socket Endpoint/) });
    expect((await h.call('renderer:tap.start', { environment: 'nope' })).error?.code).toBe('not-found');
    const url = (await h.call('renderer:tap.start', { environment: 'demo' })).response.url as string;
    await h.service.close();
    const r = await fetch(url).catch((e: Error) => e);
    expect(r).toBeInstanceOf(Error);
  });
});
