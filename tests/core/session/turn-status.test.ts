// The one turn-status model as the turn runner applies it: what arrived decides, not whether the upstream
// said "done". The upstream here is an in-memory peer that sends exactly the frames each case needs.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import type { UpstreamSink } from '../../../electron/core/upstreams/upstream';
import { runScriptedTurn } from '../../helpers/scripted-turn';
import { damageOf, decideTurnStatus, describeDamage, endUserReceived } from '../../../shared/turn-status';

async function run(script: (sink: UpstreamSink) => void) {
  const { summary, events } = await runScriptedTurn(script, { sync: () => Promise.resolve({ syncId: 'job', outcome: Promise.resolve('synced' as const) }) });
  return { summary, end: events.find((e): e is Extract<SessionEvent, { type: 'turn.end' }> => e.type === 'turn.end')! };
}

describe('turn status from what arrived', () => {
  it('bytes that are not UTF-8 make an answer the upstream finished damaged, and it is not written back', async () => {
    const { summary, end } = await run((sink) => {
      sink.token({ bytes: new Uint8Array([0x48, 0x69, 0x20]), origin: { frame: 0, kind: 'binary' } });
      sink.token({ bytes: new Uint8Array([0xff, 0xfe, 0x21]), origin: { frame: 1, kind: 'binary' } });
    });
    expect(summary.status).toBe('damaged');
    expect(end.status).toBe('damaged');
    expect(end.damage?.map((d) => d.kind)).toEqual(['invalid-utf8']);
    expect(end.damage?.[0]?.firstPosition).toBe(3);
    expect(summary.sync).toBeUndefined();
  });

  it('a character half that is never completed is damage too', async () => {
    const { end } = await run((sink) => sink.token({ text: 'ok \uD83D', origin: { frame: 0, kind: 'text' } }));
    expect(end.status).toBe('damaged');
    expect(end.damage).toEqual([{ kind: 'lone-surrogate', count: 1, firstPosition: 3 }]);
  });

  it('a duplicate (dropped) or a malformed frame that cost no seq leaves the answer whole', async () => {
    const { summary, end } = await run((sink) => {
      sink.token({ text: 'a', origin: { frame: 0, seq: 0, kind: 'text' } });
      sink.issue('malformed-frame', 'frame 1: not JSON');
      sink.token({ text: 'b', origin: { frame: 2, seq: 1, kind: 'text' } });
      sink.token({ text: 'b', origin: { frame: 3, seq: 1, kind: 'text' } });
    });
    expect(summary.rawText).toBe('ab');
    expect(end.status).toBe('complete');
    expect(end.damage).toBeUndefined();
    expect(summary.sync).toBeDefined();
  });
});

describe('the model itself', () => {
  it('an error outranks damage; damage is still counted', () => {
    const damage = damageOf([{ kind: 'seq-gap', position: 4 }, { kind: 'seq-gap', position: 2 }, { kind: 'notice', position: 0 }]);
    expect(damage).toEqual([{ kind: 'seq-gap', count: 2, firstPosition: 2 }]);
    expect(decideTurnStatus({ failure: 'network', blocked: false, tokenCount: 3, damage })).toBe('partial');
    expect(decideTurnStatus({ failure: undefined, blocked: false, tokenCount: 3, damage })).toBe('damaged');
    expect(decideTurnStatus({ failure: 'cancelled', blocked: false, tokenCount: 3, damage })).toBe('cancelled');
    expect(describeDamage(damage)).toBe('2 sequence gaps (frames never received)');
  });

  it('says one thing about the end user: the released text, then the fallback', () => {
    expect(endUserReceived('partial', 120, 'Sorry.')).toBe('the end user received 120 characters of the answer, then the fallback "Sorry."');
    expect(endUserReceived('blocked', 0, 'Withheld.')).toBe('the end user received only the fallback "Withheld."');
    expect(endUserReceived('cancelled', 5, undefined)).not.toMatch(/fallback|error/);
  });
});
