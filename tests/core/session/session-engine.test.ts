// Every scenario end to end: session engine → real upstream client → simulator over real sockets.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Environment } from '../../../shared/environment';
import type { SessionEvent } from '../../../shared/events';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { createSyncService, type SyncService } from '../../../electron/core/session/sync-service';
import { startPeer, type TestPeer } from '../../helpers/simulator';
import { createScriptedAnswers } from '../../../electron/core/simulator/answers';
import type { ScenarioName } from '../../../shared/scenarios';

/** The whole answer the simulator's model "produced" for (input, scenario): the exact text to expect. */
const expectedAnswer = (input: string, scenario: ScenarioName) => createScriptedAnswers().plan({ input, scenario, attempt: 2 }).answer;

let peer: TestPeer;
let dir: string;
let sync: SyncService;

beforeAll(async () => {
  peer = await startPeer();
  dir = await mkdtemp(join(tmpdir(), 'session-test-'));
  sync = createSyncService({ dataDir: dir, baseDelayMs: 50, maxDelayMs: 2000 });
});
afterAll(async () => {
  await sync.close();
  await peer.sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function turn(scenario: string, opts: { kind?: 'gateway' | 'socket'; input?: string; idleTimeoutMs?: number; environment?: Environment } = {}) {
  const env = opts.environment ?? (opts.kind === 'socket' ? peer.socketEnv : peer.gatewayEnv);
  const engine = createSessionEngine({ environment: env, secrets: peer.secrets, sync, idleTimeoutMs: opts.idleTimeoutMs ?? 5_000 });
  const events: SessionEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const summary = await engine.startTurn({ input: opts.input ?? 'Tell me about streaming', scenario });
  const syncOutcome = await summary.sync;
  await engine.close();
  const of = <T extends SessionEvent['type']>(t: T) => events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === t);
  return { summary, events, of, syncOutcome };
}

describe('session engine × gateway simulator', () => {
  it('happy: complete, exact multi-line text, reported usage, variables synced', async () => {
    const { summary, of, syncOutcome } = await turn('happy');
    expect(summary.status).toBe('complete');
    expect(summary.rawText).toContain('\n- ');
    expect(summary.rawText).not.toContain('\uFFFD');
    // raw.text deltas concatenate to the raw text; token texts too (text frames)
    expect(of('raw.text').map((e) => e.text).join('')).toBe(summary.rawText);
    expect(of('token').map((e) => e.text).join('')).toBe(summary.rawText);
    expect(of('filtered.text').map((e) => e.text).join('')).toBe(summary.filteredText);
    const usage = of('usage')[0]!;
    expect(usage.source).toBe('reported');
    expect(usage.reported!.completion).toBeGreaterThan(0);
    expect(of('turn.end')[0]!.status).toBe('complete');
    expect(syncOutcome).toBe('synced');
    const vars = peer.sim.variables.get('dialog-1')!;
    expect(vars.find((v) => v.name === 'llm_response')!.value).toBe(summary.filteredText);
    expect(of('filter.leak')).toHaveLength(0);
  });

  it('pii: card digits in raw, not in filtered; hits reported by position only', async () => {
    const { summary, of } = await turn('pii');
    expect(summary.status).toBe('complete');
    const digits = summary.rawText.replace(/\D/g, '');
    expect(digits).toContain('4111111111111111');
    expect(summary.filteredText.replace(/\D/g, '')).not.toContain('4111111111111111');
    expect(summary.filteredText).toContain('[CREDIT_CARD]');
    expect(summary.filteredText).toContain('[EMAIL_ADDRESS]');
    const hits = of('filtered.text').flatMap((e) => e.hits);
    expect(new Set(hits.map((h) => h.type))).toEqual(new Set(['CREDIT_CARD', 'EMAIL_ADDRESS', 'IBAN_CODE', 'PHONE_NUMBER']));
    for (const h of hits) expect(summary.rawText.slice(h.rawStart, h.rawEnd).length).toBeGreaterThan(0);
    // (only the texts: a float timestamp like `at: 12.34111` may contain the digits by chance)
    expect(of('filtered.text').map((e) => e.text).join('').replace(/\D/g, '')).not.toContain('4111111111111111');
    expect(JSON.stringify(of('filtered.text').map((e) => e.hits))).not.toMatch(/4111|jane|DE89/);
    expect(summary.leak).toBe(false);
  });

  it('emoji-split: surrogate pairs split across tokens are joined, never U+FFFD', async () => {
    const { summary, of } = await turn('emoji-split');
    expect(summary.status).toBe('complete');
    const tokens = of('token').map((e) => e.text!);
    expect(tokens.some((t) => /[\ud800-\udbff]$/.test(t))).toBe(true);
    expect(summary.rawText).not.toContain('\uFFFD');
    expect(summary.rawText).toMatch(/\p{Extended_Pictographic}/u);
  });

  it('binary-utf8: bytes split inside characters are joined before decoding', async () => {
    const { summary, of } = await turn('binary-utf8');
    expect(summary.status).toBe('complete');
    expect(of('token').every((e) => e.origin.kind === 'binary' && e.bytes)).toBe(true);
    const bytes = Buffer.concat(of('token').map((e) => Buffer.from(e.bytes!, 'base64')));
    expect(summary.rawText).toBe(bytes.toString('utf8'));
    expect(summary.rawText).not.toContain('\uFFFD');
    expect(summary.rawText).toMatch(/[^\x00-\x7f]/);
  });

  it('rate-limit: retry state shown with its cause, then success; the 429 on sync is retried', async () => {
    const { summary, of, syncOutcome } = await turn('rate-limit');
    const errors = of('error');
    expect(errors[0]).toMatchObject({ cause: 'rate_limited', retry: { attempt: 1 } });
    expect(summary.status).toBe('complete');
    expect(syncOutcome).toBe('synced');
    const states = of('sync').map((e) => e.state);
    expect(states).toContain('retrying');
    expect(states[states.length - 1]).toBe('synced');
  });

  it('stall: times out, keeps what arrived, marked partial with cause timeout', async () => {
    const { summary, of } = await turn('stall', { idleTimeoutMs: 400 });
    expect(summary.status).toBe('partial');
    expect(summary.cause).toBe('timeout');
    expect(summary.rawText.length).toBeGreaterThan(0);
    expect(of('error')[0]!.fallback).toMatch(/latency/);
  });

  it.each([
    ['drop', 'network'],
    ['revoked', 'policy'],
    ['server-error', 'server_error'],
  ])('%s: partial answer kept, typed cause %s, generic fallback', async (scenario, cause) => {
    const { summary, of } = await turn(scenario);
    expect(summary.status).toBe('partial');
    expect(summary.cause).toBe(cause);
    expect(summary.rawText.length).toBeGreaterThan(0);
    expect(of('raw.text').map((e) => e.text).join('')).toBe(summary.rawText);
    expect(of('error').at(-1)!.fallback).toMatch(/unexpected error/);
    expect(summary.sync).toBeUndefined();
  });

  it('duplicate-seq: the duplicate is dropped and reported; the text is intact', async () => {
    const { summary, of } = await turn('duplicate-seq');
    expect(summary.status).toBe('complete');
    expect(of('frame.issue').map((e) => e.kind)).toContain('duplicate-seq');
    expect(summary.rawText).toBe(expectedAnswer('Tell me about streaming', 'duplicate-seq'));
  });

  it.each(['happy', 'pii', 'emoji-split', 'binary-utf8', 'malformed-frame', 'no-usage', 'rate-limit'] as const)(
    '%s: the reassembled raw text is byte for byte the answer the model produced',
    async (scenario) => {
      const { summary } = await turn(scenario);
      expect(summary.rawText).toBe(expectedAnswer('Tell me about streaming', scenario));
    },
  );

  it('seq-gap: the gap is reported at its position and the turn ends damaged, not complete, and is not synced', async () => {
    const { summary, of } = await turn('seq-gap');
    expect(summary.status).toBe('damaged');
    const gap = of('frame.issue').find((e) => e.kind === 'seq-gap')!;
    expect(gap.position).toBeGreaterThan(0);
    expect(gap.position).toBeLessThanOrEqual(summary.rawText.length);
    const end = of('turn.end')[0]!;
    expect(end.status).toBe('damaged');
    expect(end.cause).toBeUndefined();
    expect(end.damage).toEqual([{ kind: 'seq-gap', count: 1, firstPosition: gap.position }]);
    expect(summary.damage).toEqual(end.damage);
    // A fragment must not overwrite the dialog's value.
    expect(summary.sync).toBeUndefined();
    expect(of('sync')).toHaveLength(0);
  });

  it('malformed-frame: reported, stream goes on to complete', async () => {
    const { summary, of } = await turn('malformed-frame');
    expect(summary.status).toBe('complete');
    expect(of('frame.issue').map((e) => e.kind)).toContain('malformed-frame');
  });

  it('no-usage: usage estimated with a real tokenizer and marked so', async () => {
    const { of } = await turn('no-usage');
    const u = of('usage')[0]!;
    expect(u.reported).toBeUndefined();
    expect(u.source).toBe('estimated');
    expect(u.estimated.completion).toBeGreaterThan(5);
  });

  it('cancellation stops the turn and keeps what arrived', async () => {
    await peer.sim.close();
    peer = await startPeer({ speed: 1 });
    const engine = createSessionEngine({ environment: peer.gatewayEnv, secrets: peer.secrets });
    const events: SessionEvent[] = [];
    engine.subscribe((e) => {
      events.push(e);
      if (e.type === 'token' && e.index === 2) engine.cancelTurn();
    });
    const summary = await engine.startTurn({ input: 'cancel me', scenario: 'happy' });
    expect(summary.status).toBe('cancelled');
    // The user's own act: no error event and no fallback "the end user sees".
    expect(events.filter((e) => e.type === 'error')).toHaveLength(0);
    expect(summary.fallback).toBeUndefined();
    expect(summary.rawText.length).toBeGreaterThan(0);
    await engine.close();
    await peer.sim.close();
    peer = await startPeer();
  });
});

describe('session engine × socket endpoint simulator', () => {
  it('happy: chunks joined by _messageId, finalPing ends the turn, context injected', async () => {
    const { summary, of, syncOutcome } = await turn('happy', { kind: 'socket' });
    expect(summary.status).toBe('complete');
    expect(of('token').every((t) => t.origin.messageId)).toBe(true);
    expect(of('message.end').length).toBeGreaterThan(0);
    expect(summary.rawText).toContain('\n- ');
    expect(syncOutcome).toBe('synced');
    const ctx = [...peer.sim.contexts.values()].find((c) => c.llm_response === summary.filteredText);
    expect(ctx).toBeDefined();
    expect(of('usage')[0]!.source).toBe('estimated');
  });

  it('with no user id configured, the write-back names the very user and session the live session used', async () => {
    const { userId: _configured, ...settings } = peer.socketEnv.socketEndpoint;
    const environment = Environment.parse({ ...peer.socketEnv, socketEndpoint: settings });
    const input = 'who am I to the endpoint?';
    const { summary, syncOutcome } = await turn('happy', { environment, input });
    const sent = peer.sim.socketInputs.findLast((i) => i.payload.text === input)!;
    expect(sent.payload.userId).toMatch(/^stream-debugger-/);
    // The simulator refuses an inject for a user or session it has not seen: synced means they matched.
    expect(syncOutcome).toBe('synced');
    expect(peer.sim.contexts.get(sent.sessionId)).toMatchObject({ llm_response: summary.filteredText });
  });

  it('pii over the socket endpoint: flush points inside values do not leak', async () => {
    const { summary } = await turn('pii', { kind: 'socket' });
    expect(summary.status).toBe('complete');
    expect(summary.rawText).toMatch(/@/);
    expect(summary.filteredText).not.toMatch(/[\w.]+@[\w.]+\.\w+/);
    expect(summary.filteredText.replace(/\D/g, '')).not.toContain('4111111111111111');
  });
});

describe('every scenario over the socket endpoint', () => {
  it.each([
    ['happy', 'complete', undefined],
    ['pii', 'complete', undefined],
    ['emoji-split', 'complete', undefined],
    ['binary-utf8', 'complete', undefined],
    ['no-usage', 'complete', undefined],
    ['rate-limit', 'complete', undefined],
    ['duplicate-seq', 'complete', undefined],
    ['malformed-frame', 'complete', undefined],
    ['seq-gap', 'complete', undefined],
    // The stall comes before the first flush point, so no chunk has arrived: failed, not partial.
    ['stall', 'failed', 'timeout'],
    ['drop', 'partial', 'network'],
    ['revoked', 'partial', 'policy'],
    ['server-error', 'partial', 'server_error'],
  ] as const)('%s → %s %s', async (scenario, status, cause) => {
    const { summary, of } = await turn(scenario, { kind: 'socket', idleTimeoutMs: 600, input: `socket ${scenario}` });
    expect(summary.status).toBe(status);
    expect(summary.cause).toBe(cause);
    if (status !== 'failed') expect(summary.rawText.length).toBeGreaterThan(0);
    expect(summary.rawText).not.toContain('\uFFFD');
    if (['happy', 'pii', 'emoji-split', 'binary-utf8', 'no-usage', 'rate-limit', 'duplicate-seq', 'malformed-frame'].includes(scenario)) {
      expect(summary.rawText).toBe(expectedAnswer(`socket ${scenario}`, scenario));
    }
    if (scenario === 'rate-limit') expect(of('error')[0]).toMatchObject({ cause: 'rate_limited', retry: { attempt: 1 } });
    if (scenario === 'duplicate-seq') expect(of('frame.issue').map((e) => e.kind)).toContain('duplicate-seq');
    if (scenario === 'malformed-frame') expect(of('frame.issue').map((e) => e.kind)).toContain('malformed-frame');
  });
});
