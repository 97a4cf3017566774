// Issue 13: the turn runner joins the texts of an event-loop tick's tokens, hands them to the filter as one
// text and scans once at the end of the tick. Scans are counted through the injected filter clock (read
// twice per filter step), not by timing. A live stream (one token per tick) must be scanned and released
// per token exactly as before; a burst in one tick is scanned once, after the raw text of every token in
// it; no other event overtakes the release of the text before it; and against the real simulator the events
// keep their order and the released text stays that of the whole-text pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { compilePolicy, createFilter, filterText } from '../../../electron/core/filters';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { tokenizerForModel } from '../../../electron/core/usage/encoding';
import type { UpstreamSink } from '../../../electron/core/upstreams/upstream';
import { MEMORY_ENV, runScriptedTurn } from '../../helpers/scripted-turn';
import { startPeer, type TestPeer } from '../../helpers/simulator';

/** What the scripted turn filters with (tests/helpers/scripted-turn.ts). */
const cp = compilePolicy(undefined);
const SALT = 'salt';
const TOKENS = ['Hello ', 'wor', 'ld. ', 'Card ', '4111 ', '1111 ', '1111 ', '1111', ' thanks', ', mail ', 'jane', '@example', '.com', ' bye'];

/** Yields to the event loop once: the next token arrives in a later tick, as from a live upstream. */
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

function counter() {
  let reads = 0;
  return { clock: () => (reads++, 0), steps: () => reads / 2 };
}

const send = (sink: UpstreamSink, text: string, frame: number) => sink.token({ text, origin: { frame, kind: 'text' } });

describe('tick coalescing in the turn runner', () => {
  it('a live stream, one token per tick, is scanned and released per token as before', async () => {
    const c = counter();
    const { summary, events } = await runScriptedTurn(
      async (sink) => {
        for (let k = 0; k < TOKENS.length; k++) {
          send(sink, TOKENS[k]!, k);
          await nextTick();
        }
      },
      { filterClock: c.clock },
    );
    expect(summary.status).toBe('complete');
    // One scan per token, and the end.
    expect(c.steps()).toBe(TOKENS.length + 1);
    // After each token, before the next one: what one feed of that token releases (as before coalescing).
    const ref = createFilter(cp, { hashSalt: SALT });
    let lastHoldback = 0;
    // The end's release, always published, closes the last token's span.
    const endRelease = events.findLastIndex((e) => e.type === 'filtered.text');
    for (let k = 0; k < TOKENS.length; k++) {
      const from = events.findIndex((e) => e.type === 'token' && e.index === k);
      const to = events.findIndex((e) => e.type === 'token' && e.index === k + 1);
      const between = events.slice(from, to === -1 ? endRelease : to);
      const released = between.filter((e) => e.type === 'filtered.text');
      const want = ref.feed(TOKENS[k]!);
      if (want.text || want.hits.length || want.holdback !== lastHoldback) {
        expect(released, `token ${k}`).toHaveLength(1);
        expect(released[0], `token ${k}`).toMatchObject({ text: want.text, holdback: want.holdback, holdbackReason: want.pending });
        expect(between.findIndex((e) => e.type === 'raw.text')).toBeLessThan(between.indexOf(released[0]!));
      } else {
        expect(released, `token ${k}`).toHaveLength(0);
      }
      lastHoldback = want.holdback;
    }
    expect(summary.filteredText).toBe(filterText(cp, TOKENS.join(''), { hashSalt: SALT }).output);
  });

  it('a burst in one tick is scanned once, after the raw text of every token in it', async () => {
    const c = counter();
    const { summary, events } = await runScriptedTurn(
      async (sink) => {
        TOKENS.forEach((t, k) => send(sink, t, k));
        await nextTick();
      },
      { filterClock: c.clock },
    );
    expect(summary.status).toBe('complete');
    // The tick's scan, then the end.
    expect(c.steps()).toBe(2);
    const kinds = events.filter((e) => e.type === 'raw.text' || e.type === 'filtered.text').map((e) => e.type);
    // Every raw token, in order and one event each, then the tick's release, then the end's.
    expect(kinds).toEqual([...TOKENS.map(() => 'raw.text'), 'filtered.text', 'filtered.text']);
    expect(events.filter((e) => e.type === 'raw.text').map((e) => (e.type === 'raw.text' ? e.text : ''))).toEqual(TOKENS);
    const [tick] = events.filter((e) => e.type === 'filtered.text');
    // The release is the one feed of the whole tick's text (the hold-back rule at this scan point).
    const want = createFilter(cp, { hashSalt: SALT }).feed(TOKENS.join(''));
    expect(tick).toMatchObject({ start: 0, text: want.text, holdback: want.holdback, holdbackReason: want.pending });
    expect(summary.filteredText).toBe(filterText(cp, TOKENS.join(''), { hashSalt: SALT }).output);
    // The usage count took the tick's text once: the count of the whole answer.
    const usage = events.find((e) => e.type === 'usage');
    expect(usage?.type === 'usage' && usage.estimated.completion).toBe(tokenizerForModel(MEMORY_ENV.model.model).count(TOKENS.join('')));
  });

  it('no event but a token overtakes the release of the text before it', async () => {
    const c = counter();
    const { events } = await runScriptedTurn(
      (sink) => {
        send(sink, 'Hello ', 0);
        send(sink, 'world. ', 1);
        sink.messageEnd('m1', 'stop', { frame: 1 });
        send(sink, 'Again ', 2);
        sink.issue('malformed-frame', 'frame 3: not JSON');
        send(sink, 'bye', 4);
      },
      { filterClock: c.clock },
    );
    const seq = events
      .filter((e) => ['raw.text', 'filtered.text', 'message.end', 'frame.issue'].includes(e.type))
      .map((e) => (e.type === 'raw.text' || e.type === 'filtered.text' ? `${e.type}:${e.text}` : e.type));
    expect(seq).toEqual([
      'raw.text:Hello ',
      'raw.text:world. ',
      'filtered.text:Hello world. ',
      'message.end',
      'raw.text:Again ',
      'filtered.text:Again ',
      'frame.issue',
      'raw.text:bye',
      'filtered.text:', // "bye" could still grow: held (the hold-back changed, so it is said)
      'filtered.text:bye', // the end
    ]);
  });
});

describe('a scan that throws (a bug) outside the upstream listener', () => {
  it('ends the turn with a typed internal error, releases nothing more and leaves the process alone', async () => {
    const broken = compilePolicy(undefined);
    const email = broken.detectors.find((d) => d.type === 'EMAIL_ADDRESS')!;
    const detect = email.detect;
    (email as { detect: typeof detect }).detect = (s, i, atEnd, before) => {
      if (s.startsWith('boom', i)) throw new Error('detector bug');
      return detect(s, i, atEnd, before);
    };
    const { summary, events } = await runScriptedTurn(
      async (sink) => {
        send(sink, 'Hello ', 0);
        await nextTick();
        send(sink, 'boom', 1); // a word at the window's end: every detector starting at "b" is asked
        await nextTick();
        send(sink, ' after', 2);
      },
      { compiled: broken },
    );
    expect(summary.cause).toBe('internal');
    expect(summary.error).toMatch(/filtering the answer failed: detector bug/);
    expect(summary.filteredText).toBe('Hello ');
    expect(events.filter((e) => e.type === 'filtered.text').map((e) => (e.type === 'filtered.text' ? e.text : ''))).toEqual(['Hello ']);
    expect(events.some((e) => e.type === 'filter.leak')).toBe(false);
    expect(events.find((e) => e.type === 'turn.end')).toMatchObject({ cause: 'internal' });
  });
});

describe('tick coalescing against the simulator (speed 0)', () => {
  let peer: TestPeer;
  beforeAll(async () => {
    peer = await startPeer();
  });
  afterAll(async () => {
    await peer.sim.close();
  });

  for (const scenario of ['pii', 'emoji-split', 'happy']) {
    it(`${scenario}: raw text per token and in order, each release after the raw text it covers, whole-text output`, async () => {
      const c = counter();
      const engine = createSessionEngine({ environment: peer.gatewayEnv, secrets: peer.secrets, idleTimeoutMs: 5_000, filterClock: c.clock });
      const events: SessionEvent[] = [];
      engine.subscribe((e) => events.push(e));
      const summary = await engine.startTurn({ input: 'Tell me', scenario, repeat: 20 });
      await engine.close();
      expect(summary.status).toBe('complete');
      let raw = 0;
      let lastToken = -1;
      for (const e of events) {
        if (e.type === 'token') lastToken = e.index;
        if (e.type === 'raw.text') {
          expect(e.start).toBe(raw);
          expect(e.token).toBe(lastToken);
          raw += e.text.length;
        }
        if (e.type === 'filtered.text') {
          for (const h of e.hits) expect(h.rawEnd).toBeLessThanOrEqual(raw);
          expect(e.holdback).toBeLessThanOrEqual(raw);
        }
      }
      expect(raw).toBe(summary.rawText.length);
      const released = events.flatMap((e) => (e.type === 'filtered.text' ? [e.text] : [])).join('');
      expect(released).toBe(summary.filteredText);
      // The default policy masks: no salt is involved.
      expect(released).toBe(filterText(cp, summary.rawText).output);
      expect(summary.leak).toBe(false);
      // At most one scan per token, and the end.
      expect(c.steps()).toBeLessThanOrEqual(summary.tokenCount + 1);
      // The usage count took the text once per tick, as the filter did: still the count of the whole answer.
      const usage = events.find((e) => e.type === 'usage');
      expect(usage?.type === 'usage' && usage.estimated.completion).toBe(tokenizerForModel(peer.gatewayEnv.model.model).count(summary.rawText));
    });
  }
});
