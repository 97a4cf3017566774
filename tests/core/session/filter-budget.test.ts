// Issue 11 §1: no single filter step may hold the engine for long. The session measures each feed with an
// injected clock; a step over the budget ends the turn `blocked` with the content-filter fallback and a
// reason saying so — never a release of text the filter did not finish with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { DEFAULT_FALLBACKS } from '../../../electron/core/fallbacks';
import { compilePolicy, filterText } from '../../../electron/core/filters';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer;
beforeAll(async () => {
  peer = await startPeer();
});
afterAll(async () => {
  await peer.sim.close();
});

async function turnWithClock(now: () => number, filterBudgetMs?: number) {
  const engine = createSessionEngine({ environment: peer.gatewayEnv, secrets: peer.secrets, idleTimeoutMs: 5_000, filterClock: now, filterBudgetMs });
  const events: SessionEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const summary = await engine.startTurn({ input: 'Tell me about streaming', scenario: 'pii' });
  await engine.close();
  return { summary, events };
}

describe('filter time budget per feed', () => {
  it('a feed over the budget ends the turn blocked, with the content-filter fallback and the reason', async () => {
    // From the fourth reading on the clock stands 5 s later: the second feed "took" 5 s.
    let reads = 0;
    const { summary, events } = await turnWithClock(() => (++reads <= 3 ? 0 : 5_000), 1_000);
    expect(summary.status).toBe('blocked');
    expect(summary.cause).toBe('content_filtered');
    expect(summary.fallback).toBe(DEFAULT_FALLBACKS.contentFiltered);
    expect(summary.error).toMatch(/filter step took 5000 ms, over its budget of 1000 ms/);
    const err = events.find((e) => e.type === 'error');
    expect(err && err.type === 'error' && err.message).toMatch(/budget/);
    // Only what the first (in-budget) step released went out; nothing of the step that overran, nor after.
    // (The first step scans the first tick's tokens, which may already hold a detection: its release is a
    // prefix of the whole-text output, not necessarily of the raw text.)
    const releases = events.filter((e) => e.type === 'filtered.text');
    expect(releases).toHaveLength(1);
    const released = releases.map((e) => (e.type === 'filtered.text' ? e.text : '')).join('');
    expect(released).toBe(summary.filteredText);
    expect(filterText(compilePolicy(undefined), summary.rawText).output.startsWith(released)).toBe(true);
    expect(released.length).toBeLessThan(summary.rawText.length);
    expect(events.filter((e) => e.type === 'turn.end').map((e) => e.type === 'turn.end' && e.status)).toEqual(['blocked']);
  });

  it('within the budget nothing changes', async () => {
    const { summary } = await turnWithClock(() => 0, 1_000);
    expect(summary.status).toBe('complete');
    expect(summary.filteredText).toContain('[CREDIT_CARD]');
  });
});
