// compareEnvironments against the simulator over real loopback sockets: two environments (the same
// simulator playing its happy and PII scenarios), one environment under two filter policies, a dialog,
// a side that cannot open, and a cancel. Both sides stream at once, and the app sees every event live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../../shared/environment';
import type { Policy } from '../../../shared/policy';
import { compareEnvironments, type CompareProgress } from '../../../electron/core/recording/compare';
import { compareJunitXml } from '../../../electron/core/recording/compare-junit';
import { engineCompareSide } from '../../../electron/core/recording/engine-replay';
import { createSessionEngine, type SessionEngine } from '../../../electron/core/session/session-engine';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer;
const engines: SessionEngine[] = [];
const engine = (env: Environment, policy?: Policy) => {
  const e = createSessionEngine({ environment: env, secrets: peer.secrets, idleTimeoutMs: 20_000, ...(policy ? { policy } : {}) });
  engines.push(e);
  return e;
};

beforeAll(async () => {
  peer = await startPeer({ speed: 0 });
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await peer.sim.close();
});

describe('compareEnvironments', () => {
  it('two environments: both stream at once, and the diff shows text, hits and usage of each', async () => {
    const progress: CompareProgress[] = [];
    const report = await compareEnvironments({
      a: engineCompareSide('gateway', engine(peer.gatewayEnv)),
      b: engineCompareSide('gateway (pii)', engine(peer.gatewayEnv), { scenario: 'pii' }),
      turns: [{ input: 'card please', line: 1 }],
      onProgress: (e) => progress.push(e),
    });
    expect(report.ok).toBe(false);
    const [t] = report.turns;
    expect(t).toMatchObject({ index: 0, input: 'card please', ok: false, errors: {} });
    expect(t!.a?.status).toBe('complete');
    expect(t!.b?.filteredText).toContain('[CREDIT_CARD]');
    expect(t!.checks.find((c) => c.check === 'text')).toMatchObject({ ok: false, expected: 'answers equal' });
    expect(t!.diff.hits.added.map((h) => h.type)).toEqual(['CREDIT_CARD', 'EMAIL_ADDRESS', 'IBAN_CODE', 'PHONE_NUMBER']);
    expect(t!.diff.filtered?.patch).toContain('+- Card: [CREDIT_CARD]');
    expect(t!.diff.usage.total.a).toBeGreaterThan(0);
    expect(t!.diff.timing.ttftMs.delta).toBeDefined();
    // Live: each side's events arrive before the turn's end, and B started before A finished (at once).
    const kinds = progress.map((p) => (p.type === 'event' ? `${p.side}:${p.event.type}` : p.type));
    expect(kinds[0]).toBe('turn.start');
    expect(kinds.at(-1)).toBe('turn.end');
    const aEnd = kinds.indexOf('a:turn.end');
    const bStart = kinds.indexOf('b:turn.start');
    expect(aEnd).toBeGreaterThan(0);
    expect(bStart).toBeGreaterThan(0);
    expect(bStart).toBeLessThan(aEnd);
    expect(kinds.filter((k) => k === 'b:token').length).toBeGreaterThan(1);
  });

  it('one environment under two filter policies: alike within the similarity, different when asked for equal', async () => {
    const partial: Policy = { version: 1, actions: { CREDIT_CARD: 'partial' } };
    const run = (similarity: number) =>
      compareEnvironments({
        a: engineCompareSide('mask', engine(peer.socketEnv), { scenario: 'pii' }),
        b: engineCompareSide('partial', engine(peer.socketEnv, partial), { scenario: 'pii' }),
        turns: [{ input: 'card please', line: 1 }],
        similarity,
      });
    const strict = await run(1);
    expect(strict.ok).toBe(false);
    const t = strict.turns[0]!;
    expect(t.a?.filteredText).toContain('[CREDIT_CARD]');
    expect(t.b?.filteredText).not.toContain('[CREDIT_CARD]');
    expect(t.b?.filteredText).toMatch(/1111/);
    expect(t.diff.raw?.same).toBe(true);
    expect(t.diff.hits.added.map((h) => `${h.type}:${h.action}`)).toEqual(['CREDIT_CARD:partial']);
    expect(t.similarity).toBeGreaterThan(0.9);
    const loose = await run(0.9);
    expect(loose.ok).toBe(true);
    expect(loose.turns[0]!.checks.every((c) => c.ok)).toBe(true);
  });

  it('a script turn’s assertions are judged on both sides: alike answers still fail an assertion', async () => {
    const report = await compareEnvironments({
      a: engineCompareSide('mask', engine(peer.gatewayEnv)),
      b: engineCompareSide('partial', engine(peer.gatewayEnv, { version: 1, actions: { CREDIT_CARD: 'partial' } })),
      turns: [{ input: 'What is streaming?', line: 3, assert: [{ kind: 'contains', text: 'snake_case' }, { kind: 'ttft', max: 0 }] }],
    });
    const t = report.turns[0]!;
    expect(t.checks.find((c) => c.check === 'text')).toMatchObject({ ok: true, got: 'equal' });
    expect(t.checks.filter((c) => c.check.startsWith('assert.')).map((c) => [c.at, c.ok])).toEqual([
      ['mask: line 3: assert[0]', true],
      ['mask: line 3: assert[1]', false],
      ['partial: line 3: assert[0]', true],
      ['partial: line 3: assert[1]', false],
    ]);
    expect(t.ok).toBe(false);
    expect(report.ok).toBe(false);
  });

  it('a dialog keeps one session per side; a side that cannot open fails every turn, saying why; JUnit names each', async () => {
    const report = await compareEnvironments({
      a: engineCompareSide('socket', engine(peer.socketEnv)),
      b: { label: 'nowhere', open: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')) },
      turns: [
        { input: 'hello', line: 1 },
        { input: 'and again', line: 2 },
      ],
    });
    expect(report.ok).toBe(false);
    expect(report.turns).toHaveLength(2);
    for (const t of report.turns) {
      expect(t.a?.status).toBe('complete');
      expect(t.errors.b).toBe('cannot open a session on nowhere: connect ECONNREFUSED 127.0.0.1:9');
      expect(t.checks[0]).toMatchObject({ check: 'text', ok: false, got: 'no answer from nowhere' });
    }
    const xml = compareJunitXml(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' }).parse(xml).testsuites;
    expect(doc).toMatchObject({ tests: '2', failures: '0', errors: '2' });
    expect(doc.testsuite.name).toBe('socket vs nowhere');
    expect(doc.testsuite.testcase.map((c: { name: string }) => c.name)).toEqual(['turn 1: hello', 'turn 2: and again']);
    expect(doc.testsuite.testcase[0].error.message).toContain('ECONNREFUSED');
  });

  it('cancel stops both sides and says which turns did not run', async () => {
    const ac = new AbortController();
    const report = await compareEnvironments({
      a: engineCompareSide('A', engine(peer.gatewayEnv), { scenario: 'stall' }),
      b: engineCompareSide('B', engine(peer.gatewayEnv), { scenario: 'stall' }),
      turns: [
        { input: 'one', line: 1 },
        { input: 'two', line: 2 },
      ],
      signal: ac.signal,
      onProgress: (e) => {
        if (e.type === 'event' && e.event.type === 'token') ac.abort();
      },
    });
    expect(report.ok).toBe(false);
    expect(report.notRun).toBe(1);
    expect(report.turns.map((t) => [t.a?.status, t.b?.status])).toEqual([['cancelled', 'cancelled']]);
  });
});
