// The reassembly inspector shows what the engine did: the events come from the real turn runner (reassembly,
// filter) fed exactly the frames each case needs, or from the simulator over a real socket, and the
// inspector's notes must restate the facts those events carry — including where a guess from the token
// payloads would name the wrong token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import type { UpstreamSink } from '../../../electron/core/upstreams/upstream';
import { applyEvents, EMPTY_TURNS, type TurnData } from '../../../renderer/src/store/turn-model';
import { inspectRange } from '../../../renderer/src/views/details/inspect';
import { filteredPieces, rawPieces } from '../../../renderer/src/views/session/segments';
import { runScriptedTurn } from '../../helpers/scripted-turn';
import { startPeer, type TestPeer } from '../../helpers/simulator';
import { filtered, start, textToken } from '../events';

/** One turn through the real engine with an upstream that sends exactly `script`'s frames; the renderer's turn. */
async function engineTurn(script: (sink: UpstreamSink) => void): Promise<{ turn: TurnData; events: SessionEvent[] }> {
  const { events } = await runScriptedTurn(script);
  const r = applyEvents(EMPTY_TURNS, events);
  return { turn: r.turns.byId[r.turns.order[0]!]!, events };
}

const notes = (res: ReturnType<typeof inspectRange>, token: number) => res.tokens.find((r) => r.index === token)?.notes.join(' | ') ?? '';

describe('reassembly inspector: the engine’s facts', () => {
  it('a surrogate pair split across tokens, with an empty token between the halves: joined from the token that began it', async () => {
    const { turn, events } = await engineTurn((sink) => {
      sink.token({ text: 'ok \uD83D', origin: { frame: 0, seq: 0, kind: 'text' } });
      sink.token({ text: '', origin: { frame: 1, seq: 1, kind: 'text' } });
      sink.token({ text: '\uDE00!', origin: { frame: 2, seq: 2, kind: 'text' } });
    });
    // The event says it, so the inspector can say it.
    expect(events.find((e) => e.type === 'raw.text' && e.joined)).toMatchObject({ token: 2, joined: 'surrogate', joinedFrom: 0, start: 3, text: '😀!' });
    const res = inspectRange(turn, 3, 5);
    expect(res.text).toBe('😀');
    expect(res.tokens.map((x) => x.index)).toEqual([1, 2]);
    // Token 1 (empty) sits right before the low half; the engine says the pair began in token 0.
    expect(notes(res, 2)).toMatch(/completes the character begun in token 0: a surrogate pair split across text tokens, joined by reassembly/);
    expect(notes(res, 2)).not.toMatch(/token 1/);
    expect(notes(res, 1)).toBe('empty: released no text');
    expect(res.tokens.find((r) => r.index === 2)).toMatchObject({ frame: 2, seq: 2, range: [3, 6] });
    const whole = inspectRange(turn, 0, 6);
    expect(notes(whole, 0)).toMatch(/its last character was completed by token 2/);
  });

  it('a UTF-8 character split across three binary frames: the engine names the frames and the bytes it decoded together', async () => {
    const euro = [0xe2, 0x82, 0xac];
    const { turn, events } = await engineTurn((sink) => {
      sink.token({ bytes: new Uint8Array([0x61, euro[0]!]), origin: { frame: 0, kind: 'binary' } });
      sink.token({ bytes: new Uint8Array([euro[1]!]), origin: { frame: 1, kind: 'binary' } });
      sink.token({ bytes: new Uint8Array([euro[2]!, 0x62]), origin: { frame: 2, kind: 'binary' } });
    });
    expect(events.filter((e) => e.type === 'raw.text')).toMatchObject([
      { token: 0, text: 'a', byteStart: 0, byteEnd: 1 },
      { token: 2, text: '€b', byteStart: 1, byteEnd: 5, joined: 'utf8-split', joinedFrom: 0 },
    ]);
    const res = inspectRange(turn, 1, 2);
    expect(res.tokens.map((x) => x.index)).toEqual([1, 2]);
    // Frame 1 holds only a continuation byte; the character began in frame 0, two frames back.
    expect(notes(res, 2)).toMatch(/completes the character begun in token 0: a UTF-8 character split across binary frames, joined by reassembly \(bytes 1–5/);
    expect(notes(res, 1)).toBe('released no text of its own');
    expect(res.tokens[0]!.hex).toBe('82');
    expect(notes(inspectRange(turn, 0, 1), 0)).toMatch(/its last character was completed by token 2/);
  });

  it('a duplicate frame: the inspector names the dropped token with the engine’s reason, not a seq comparison', async () => {
    const { turn, events } = await engineTurn((sink) => {
      sink.token({ text: 'Hello ', origin: { frame: 0, seq: 0, kind: 'text' } });
      sink.token({ text: 'Hello ', origin: { frame: 1, seq: 0, kind: 'text' } });
      sink.token({ text: 'world', origin: { frame: 2, seq: 1, kind: 'text' } });
    });
    expect(events.find((e) => e.type === 'frame.issue')).toMatchObject({ kind: 'duplicate-seq', token: 1, seq: 0 });
    expect(turn.raw.length).toBe('Hello world'.length);
    const res = inspectRange(turn, 6, 11);
    expect(res.tokens.map((x) => x.index)).toEqual([1, 2]);
    expect(notes(res, 1)).toMatch(/^a duplicate was dropped here: token 1 \(frame 1\) repeats seq 0 of frame 0; dropped$/);
    expect(notes(res, 2)).toBe('');
  });

  it('without the engine’s facts on raw.text there is nothing to report: the payloads are not re-read', () => {
    // A token ending in a high surrogate whose raw.text carries no `joined`: no join is invented.
    const r = applyEvents(EMPTY_TURNS, [start('t'), ...textToken('t', 0, 'ok ', 0, 10), ...textToken('t', 1, '\uD83D', 3, 30, { raw: '' }), ...textToken('t', 2, '\uDE00!', 3, 55, { raw: '😀!' })]);
    const res = inspectRange(r.turns.byId.t!, 3, 5);
    expect(res.tokens.flatMap((x) => x.notes).join(' ')).not.toMatch(/surrogate|joined/);
  });

  it('cuts rows into token, hit and hold-back pieces; the filtered lane marks masked spans', () => {
    const hit = { type: 'EMAIL_ADDRESS', action: 'mask' as const, rawStart: 3, rawEnd: 10, outStart: 3, outEnd: 18 };
    const r = applyEvents(EMPTY_TURNS, [start('t'), ...textToken('t', 0, 'hi ', 0, 1), ...textToken('t', 1, 'a@b.com', 3, 2), ...textToken('t', 2, ' 12', 10, 3), filtered('t', 0, 'hi [EMAIL_ADDRESS]', [hit], 3, ['PHONE_NUMBER'])]);
    const t = r.turns.byId.t!;
    const pieces = rawPieces(t, 0, t.raw.length, { boundaries: true });
    expect(pieces.map((p) => [p.start, p.end, p.hit?.type, p.held ?? false])).toEqual([
      [0, 3, undefined, false],
      [3, 10, 'EMAIL_ADDRESS', false],
      [10, 13, undefined, true],
    ]);
    const fp = filteredPieces(t, 0, t.filtered.length, { boundaries: true });
    expect(fp.find((p) => p.hit)).toMatchObject({ start: 3, end: 18, hitStart: true });
  });
});

describe('reassembly inspector against the simulator (real sockets)', () => {
  let peer: TestPeer;
  beforeAll(async () => {
    peer = await startPeer();
  });
  afterAll(async () => {
    await peer?.sim.close();
  });

  for (const [scenario, joined] of [
    ['emoji-split', 'surrogate'],
    ['binary-utf8', 'utf8-split'],
  ] as const) {
    it(`${scenario}: every join the engine made is in the inspector, at the token it names`, async () => {
      const engine = createSessionEngine({ environment: peer.gatewayEnv, secrets: peer.secrets });
      const events: SessionEvent[] = [];
      engine.subscribe((e) => events.push(e));
      try {
        await engine.startTurn({ input: 'hi', scenario });
      } finally {
        await engine.close();
      }
      const turn = applyEvents(EMPTY_TURNS, events).turns;
      const t = turn.byId[turn.order[0]!]!;
      const joins = events.filter((e): e is Extract<SessionEvent, { type: 'raw.text' }> => e.type === 'raw.text' && e.joined !== undefined);
      expect(joins.length).toBeGreaterThan(0);
      for (const j of joins) {
        expect(j.joined).toBe(joined);
        const res = inspectRange(t, j.start, j.start + 1);
        expect(notes(res, j.token)).toContain(`completes the character begun in token ${j.joinedFrom}`);
      }
    });
  }

  it('duplicate-seq: the frame the gateway client dropped is shown where it was dropped, with its reason', async () => {
    const engine = createSessionEngine({ environment: peer.gatewayEnv, secrets: peer.secrets });
    const events: SessionEvent[] = [];
    engine.subscribe((e) => events.push(e));
    try {
      await engine.startTurn({ input: 'hi', scenario: 'duplicate-seq' });
    } finally {
      await engine.close();
    }
    const turn = applyEvents(EMPTY_TURNS, events).turns;
    const t = turn.byId[turn.order[0]!]!;
    const dups = events.filter((e): e is Extract<SessionEvent, { type: 'frame.issue' }> => e.type === 'frame.issue' && e.kind === 'duplicate-seq');
    expect(dups.length).toBeGreaterThan(0);
    for (const d of dups) {
      // Dropped before it became a token: the note goes to the token whose text ends where it was dropped.
      const res = inspectRange(t, Math.max(0, d.position! - 1), d.position!);
      const owner = res.tokens.find((r) => r.range && r.range[1] === d.position);
      expect(owner, `a token ending at ${d.position}`).toBeDefined();
      expect(owner!.notes).toContain(`a duplicate was dropped here: ${d.detail}`);
    }
  });
});
