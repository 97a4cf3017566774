// The Webchat preview end to end: session engine → real socket-endpoint client → simulator over a real
// loopback socket, with the real filter. What the bubbles show is checked against the filtered answer.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import type { WebchatMode } from '../../../shared/webchat';
import { Environment } from '../../../shared/environment';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer;
beforeAll(async () => {
  peer = await startPeer();
});
afterAll(async () => {
  await peer.sim.close();
});

async function turn(mode: WebchatMode | undefined, scenario: string, env: Environment = peer.socketEnv) {
  const engine = createSessionEngine({ environment: env, secrets: peer.secrets, idleTimeoutMs: 5_000 });
  const events: SessionEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const summary = await engine.startTurn({ input: `webchat ${scenario}`, scenario, ...(mode ? { webchat: mode } : {}) });
  await engine.close();
  const of = <T extends SessionEvent['type']>(t: T) => events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === t);
  return { summary, events, of };
}

describe('Webchat preview over the socket endpoint simulator', () => {
  it('Modern: one bubble per message, equal to the filtered answer; no warning on a clean stream', async () => {
    const { summary, of } = await turn('modern', 'happy');
    expect(summary.status).toBe('complete');
    expect(of('message.end').some((e) => e.frame !== undefined)).toBe(true);
    expect(summary.webchat?.settings).toMatchObject({ mode: 'modern', from: 'preset' });
    expect(summary.webchat?.bubbles).toEqual([summary.filteredText]);
    expect(of('webchat.warning')).toEqual([]);
  });

  it('Classic: one bubble per chunk, and a split warning naming every output', async () => {
    const { summary, of } = await turn('classic', 'happy');
    const textTokens = of('token').filter((t) => t.text && t.text.trim());
    const bubbles = summary.webchat!.bubbles;
    expect(bubbles.length).toBe(textTokens.length);
    expect(bubbles.length).toBeGreaterThan(1);
    const [w] = of('webchat.warning');
    expect(w).toMatchObject({ kind: 'split-bubbles', bubbles: bubbles.length });
    expect(w!.frames).toEqual(textTokens.map((t) => t.origin.frame));
    // Nothing but leading whitespace is lost: the bubbles, trimmed, are the answer's chunks.
    expect(bubbles.join('').replace(/\s+/g, '')).toBe(summary.filteredText.replace(/\s+/g, ''));
  });

  it('PII: the bubbles show the masks, never the values', async () => {
    const { summary, events } = await turn('slick', 'pii');
    expect(summary.webchat!.bubbles.join('')).toContain('[CREDIT_CARD]');
    const webchat = events.filter((e) => e.type.startsWith('webchat.'));
    expect(JSON.stringify(webchat).replace(/\D/g, '')).not.toContain('4111111111111111');
  });

  it('webchat events come before turn.end, and none without --webchat', async () => {
    const { events } = await turn('classic', 'happy');
    const end = events.findIndex((e) => e.type === 'turn.end');
    expect(events.findLastIndex((e) => e.type.startsWith('webchat.'))).toBeLessThan(end);
    const plain = await turn(undefined, 'happy');
    expect(plain.events.some((e) => e.type.startsWith('webchat.'))).toBe(false);
  });

  it('closing-text, Modern: the last sentence is not shown, and the warning quotes it and says where', async () => {
    const { summary, of } = await turn('modern', 'closing-text');
    expect(summary.status).toBe('complete');
    const closing = of('message.end').find((e) => e.finishReason === 'stop')!;
    const closingToken = of('token').find((t) => t.origin.frame === closing.frame)!;
    expect(closingToken.text).toBeTruthy();
    const [w, ...more] = of('webchat.warning');
    expect(more).toEqual([]);
    expect(w).toMatchObject({ kind: 'closing-text-dropped', frames: [closing.frame], bubble: 0, messageId: closing.messageId });
    // What is lost is exactly the end of the filtered answer, from the closing chunk on.
    expect(summary.filteredText.slice(w!.start, w!.end)).toBe(w!.text);
    expect(w!.end).toBe(summary.filteredText.length);
    expect(summary.webchat!.bubbles).toEqual([summary.filteredText.slice(0, w!.start)]);
  });

  it('closing-text, Classic: nothing is dropped, but the answer is split', async () => {
    const { summary, of } = await turn('classic', 'closing-text');
    expect(of('webchat.warning').map((w) => w.kind)).toEqual(['split-bubbles']);
    expect(summary.webchat!.bubbles.join('').replace(/\s+/g, '')).toBe(summary.filteredText.replace(/\s+/g, ''));
  });

  it('empty-first-chunk, Slick: the empty chunk is discarded without loss; the bubble is the whole answer', async () => {
    const { summary, of } = await turn('slick', 'empty-first-chunk');
    expect(of('webchat.warning')).toEqual([]);
    expect(summary.webchat!.bubbles).toEqual([summary.filteredText]);
    const first = of('webchat.bubble').find((b) => b.op === 'open')!;
    expect(first.frame).toBeGreaterThan(0);
  });

  it('rich-content, Modern: quick replies and a gallery are messages of their own between the text; nothing is lost', async () => {
    const { summary, of } = await turn('modern', 'rich-content');
    // One output may carry its content in several places (_default and _webchat): one message per output.
    const structured = of('output.structured').filter((e) => e.kind === 'rich-content');
    const richFrames = [...new Set(structured.map((e) => e.frame))];
    expect(richFrames.length).toBe(2);
    const opens = of('webchat.bubble').filter((b) => b.op === 'open');
    expect(opens.map((b) => b.kind)).toEqual(['text', 'rich', 'rich']);
    expect(opens.slice(1).map((b) => b.frame)).toEqual(richFrames);
    expect(structured.filter((e) => e.frame === richFrames[0]).map((e) => e.summary)).toContain(opens[1]!.summary);
    expect(summary.webchat!.bubbles[0]).toBe(summary.filteredText);
    expect(of('webchat.warning')).toEqual([]);
  });

  it('handover, Modern: the Webchat events are no bubbles; each agent output is a bubble of its own, marked agent', async () => {
    const { of } = await turn('modern', 'handover');
    const agentTokens = of('token').filter((t) => t.origin.source === 'agent');
    expect(agentTokens.length).toBe(2);
    const opens = of('webchat.bubble').filter((b) => b.op === 'open');
    expect(opens.filter((b) => b.source === 'agent').map((b) => b.frame)).toEqual(agentTokens.map((t) => t.origin.frame));
    const events = of('output.structured').filter((e) => e.kind === 'webchat-event');
    expect(events.length).toBeGreaterThan(0);
    expect(opens.some((b) => events.some((e) => e.frame === b.frame))).toBe(false);
  });

  it("endpoint mode reads the flags from the endpoint's settings request, once per session", async () => {
    const p = await startPeer({ webchatSettings: { collateStreamedOutputs: true, progressiveMessageRendering: true } });
    try {
      const engine = createSessionEngine({ environment: p.socketEnv, secrets: p.secrets, idleTimeoutMs: 5_000 });
      const events: SessionEvent[] = [];
      engine.subscribe((e) => events.push(e));
      const a = await engine.startTurn({ input: 'one', scenario: 'closing-text', webchat: 'endpoint' });
      await engine.startTurn({ input: 'two', webchat: 'endpoint' });
      await engine.close();
      expect(a.webchat?.settings).toEqual({ mode: 'endpoint', from: 'endpoint', flags: { collateStreamedOutputs: true, progressiveMessageRendering: true } });
      expect(events.filter((e) => e.type === 'webchat.settings')).toHaveLength(2);
      expect(p.sim.stats.webchatSettingsRequests).toBe(1);
      expect(a.webchat?.warnings.map((w) => w.kind)).toEqual(['closing-text-dropped']);
    } finally {
      await p.sim.close();
    }
  });

  it("endpoint mode: an endpoint whose settings cannot be read falls back to Webchat's defaults and says so", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const env = Environment.parse({ ...peer.socketEnv, socketEndpoint: { ...peer.socketEnv.socketEndpoint, endpointUrl: `http://127.0.0.1:${port}/${peer.creds.urlToken}` } });
    const engine = createSessionEngine({ environment: env, secrets: peer.secrets, idleTimeoutMs: 2_000 });
    const events: SessionEvent[] = [];
    engine.subscribe((e) => events.push(e));
    await engine.startTurn({ input: 'hi', webchat: 'endpoint' }).catch(() => undefined);
    await engine.close();
    const s = events.find((e) => e.type === 'webchat.settings');
    expect(s).toMatchObject({ mode: 'endpoint', from: 'default', flags: { collateStreamedOutputs: false, progressiveMessageRendering: false } });
    expect(s && 'detail' in s ? s.detail : '').toMatch(/settings request failed/);
    expect(JSON.stringify(s)).not.toContain(peer.creds.urlToken);
  });
});
