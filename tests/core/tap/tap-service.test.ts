// A running tap with its debugger sessions, over real loopback sockets: the simulator plays Cognigy,
// Cognigy's official 5.0.0-beta.26 client plays the frontend (Webchat 3.49's client).
import { talkThrough } from '../../helpers/cognigy-frontend';
import { startTrailingTypingPeer } from '../../helpers/trailing-typing-peer';
import { SocketClientV5 } from '../../compat/clients';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { compilePolicy } from '../../../electron/core/filters';
import { createScriptedAnswers, type Simulator } from '../../../electron/core/simulator/index';
import { environmentForUpstream, startTap, type RunningTap } from '../../../electron/core/tap/tap-service';
import type { TapSession } from '../../../electron/core/tap/tap-session';
import { runCli } from '../recording/helpers/in-process-cli';
import { CREDS, startSim } from '../simulator/helpers';

let sim: Simulator;
const dir = mkdtempSync(join(tmpdir(), 'tap-service-'));
const answerFor = (scenario: 'happy' | 'pii', input: string) => createScriptedAnswers().plan({ input, scenario, attempt: 1 }).answer;

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

interface Tapped {
  tap: RunningTap;
  sessions: Array<{ s: TapSession; events: SessionEvent[]; path?: string }>;
}

async function tapWith(opts: { enforce?: boolean; recordDir?: string; upstream?: string } = {}): Promise<Tapped> {
  const sessions: Tapped['sessions'] = [];
  const { upstream = `${sim.url}/${CREDS.urlToken}`, ...rest } = opts;
  const tap = await startTap({
    port: 0,
    environment: environmentForUpstream(upstream),
    compiled: compilePolicy(),
    ...rest,
    onSession(s, path) {
      const rec = { s, events: [] as SessionEvent[], ...(path ? { path } : {}) };
      s.engine.subscribe((e) => rec.events.push(e));
      sessions.push(rec);
    },
  });
  return { tap, sessions };
}

/** A frontend dialog through the tap; returns the texts of the outputs it received, per input. */
function frontend(tap: RunningTap, inputs: Array<[string, string]>): Promise<string[][]> {
  return talkThrough(tap.proxy.url, inputs, { userId: 'u-tap', sessionId: `s-${inputs.length}-${Math.floor(performance.now())}` });
}

const turnEnds = (events: SessionEvent[]) => events.filter((e): e is Extract<SessionEvent, { type: 'turn.end' }> => e.type === 'turn.end');
const rawOf = (events: SessionEvent[]) => events.filter((e) => e.type === 'raw.text').map((e) => (e as { text: string }).text).join('');
const filteredOf = (events: SessionEvent[]) => events.filter((e) => e.type === 'filtered.text').map((e) => (e as { text: string }).text).join('');

describe('tap sessions', () => {
  it('turns every frontend input into a debugger turn with the raw and filtered answer; the frontend gets Cognigy\'s text unchanged', async () => {
    const { tap, sessions } = await tapWith();
    try {
      const got = await frontend(tap, [['Tell me about 3.14!', 'happy'], ['my card?', 'pii']]);
      expect(got[1]!.join('')).toBe(answerFor('pii', 'my card?'));
      await vi.waitFor(() => expect(turnEnds(sessions[0]?.events ?? []).length).toBe(2), { timeout: 10_000 });
      const { events } = sessions[0]!;
      expect(turnEnds(events).map((e) => e.status)).toEqual(['complete', 'complete']);
      expect(events.filter((e) => e.type === 'turn.start').map((e) => (e as { input: string }).input)).toEqual(['Tell me about 3.14!', 'my card?']);
      expect(rawOf(events)).toBe(answerFor('happy', 'Tell me about 3.14!') + answerFor('pii', 'my card?'));
      expect(filteredOf(events)).toContain('[CREDIT_CARD]');
      expect(sessions[0]!.s.engine.sessionId).toMatch(/^s-2-/);
    } finally {
      await tap.close();
    }
  });

  it('--enforce-policy: the frontend receives masked text while the raw lane keeps the original', async () => {
    const { tap, sessions } = await tapWith({ enforce: true });
    try {
      const [texts] = await frontend(tap, [['my card?', 'pii']]);
      const received = texts!.join('');
      const original = answerFor('pii', 'my card?');
      expect(received).toContain('[CREDIT_CARD]');
      expect(received).toContain('[EMAIL_ADDRESS]');
      expect(received).not.toMatch(/\d{4}[ -]?\d{4}[ -]?\d{4}/);
      await vi.waitFor(() => expect(turnEnds(sessions[0]?.events ?? []).length).toBe(1), { timeout: 10_000 });
      expect(rawOf(sessions[0]!.events)).toBe(original);
      expect(received).toBe(filteredOf(sessions[0]!.events));
    } finally {
      await tap.close();
    }
  });

  it('the bot\'s typingOff after its finalPing is the tapped turn\'s, after its end (not dropped, not the next turn\'s)', async () => {
    // The typingOff goes out only once the tapped turn has ended: the tap no longer listens for that turn.
    let ended!: () => void;
    const turnEnded = new Promise<void>((r) => (ended = r));
    const peer = await startTrailingTypingPeer({ typingOffAfter: () => turnEnded });
    const { tap, sessions } = await tapWith({ upstream: peer.url });
    const u = new URL(tap.proxy.url);
    const client = new SocketClientV5(u.origin, decodeURIComponent(u.pathname.split('/').pop()!), { forceWebsockets: true, reconnection: false, userId: 'u-tap', sessionId: 's-trailing' });
    try {
      await client.connect();
      if (!client.isEndpointReady) await new Promise<void>((r) => client.once('endpoint-ready', () => r()));
      const off = new Promise<void>((r) => client.on('typingStatus', (p: { status?: string }) => p?.status === 'typingOff' && r()));
      client.sendMessage('one');
      await vi.waitFor(() => expect(turnEnds(sessions[0]?.events ?? [])).toHaveLength(1), { timeout: 10_000 });
      ended();
      await off; // the frontend has it, so the tap has passed it on
      await vi.waitFor(() => expect(sessions[0]?.events.filter((e) => e.type === 'typing').length).toBe(2), { timeout: 10_000 });
      const { events } = sessions[0]!;
      const typing = events.filter((e): e is Extract<SessionEvent, { type: 'typing' }> => e.type === 'typing');
      expect(typing.map((e) => [e.status, e.afterEnd ?? false])).toEqual([['typingOn', false], ['typingOff', true]]);
      expect(events.indexOf(typing[1]!)).toBeGreaterThan(events.findIndex((e) => e.type === 'message.end'));
      expect(turnEnds(events).map((e) => e.status)).toEqual(['complete']);
    } finally {
      client.disconnect();
      await tap.close();
      await peer.close();
    }
  });

  it('records one cassette per connection, without the URL token, that replays green', async () => {
    const recordDir = join(dir, 'tapped');
    const { tap, sessions } = await tapWith({ recordDir });
    try {
      await frontend(tap, [['What is streaming?', 'happy']]);
      await vi.waitFor(() => expect(turnEnds(sessions[0]?.events ?? []).length).toBe(1), { timeout: 10_000 });
    } finally {
      await tap.close();
    }
    const files = readdirSync(recordDir);
    expect(files).toHaveLength(1);
    const cassette = join(recordDir, files[0]!);
    expect(readFileSync(cassette, 'utf8')).not.toContain(CREDS.urlToken);
    const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), STREAM_DEBUGGER_DATA_DIR: '' };
    const add = await runCli(['env', 'add', 'cognigy', '--kind', 'socket-endpoint', '--endpoint-url', `${sim.url}/${CREDS.urlToken}`, '--url-token', CREDS.urlToken], { env });
    expect(add.code, add.stderr).toBe(0);
    const r = await runCli(['replay', cassette, '--env', 'cognigy', '--speed', '0'], { env });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^PASS: 1 cassette, 1 turn: 1 passed/);

    // …and serves as a mock upstream.
    const ac = new AbortController();
    let listening: () => void = () => {};
    const up = new Promise<void>((res) => (listening = res));
    const served = runCli(['simulate', '--cassette', cassette, '--port', '0', '--speed', '0'], { env, signal: ac.signal, onStdout: (c) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(c) && listening() });
    await Promise.race([up, served.then((x) => Promise.reject(new Error(`simulate --cassette exited ${x.code}: ${x.stderr}`)))]);
    ac.abort();
    expect((await served).code).toBe(0);
  });
});
