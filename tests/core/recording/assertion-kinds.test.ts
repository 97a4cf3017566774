// Every assertion kind, judged on real turns: dialogs recorded from the simulator over both upstreams
// into cassettes and read back, as replay reads them. Each kind has a case that passes and a case that
// fails (the last test checks that no kind lacks either), and the failure says what was expected and got.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSERTION_FAMILIES, type Assertion, type AssertionKind } from '../../../shared/assertions';
import type { Environment } from '../../../shared/environment';
import type { WebchatMode } from '../../../shared/webchat';
import { evaluateAssertion } from '../../../electron/core/recording/assertions';
import { cassetteEnvironment } from '../../../electron/core/recording/cassette-environment';
import { readCassette } from '../../../electron/core/recording/cassette-reader';
import { createCassetteWriter } from '../../../electron/core/recording/cassette-writer';
import { recordDialog } from '../../../electron/core/recording/record-dialog';
import { summarizeTurns, type TurnRecord } from '../../../electron/core/recording/turns';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { createSyncService, type SyncService } from '../../../electron/core/session/sync-service';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer;
let sync: SyncService;
const dir = mkdtempSync(join(tmpdir(), 'assertion-kinds-'));
const turns: Record<string, TurnRecord> = {};

async function record(name: string, env: Environment, script: Array<{ key: string; input: string; scenario: string }>, o: { webchat?: WebchatMode; sync?: boolean } = {}) {
  const engine = createSessionEngine({ environment: env, secrets: peer.secrets, idleTimeoutMs: 400, ...(o.sync === false ? {} : { sync }) });
  const path = join(dir, `${name}.jsonl`);
  const writer = createCassetteWriter({ path, header: { upstream: env.kind, environment: cassetteEnvironment(env), model: env.model } });
  try {
    await recordDialog({ engine, writer, turns: script.map((s, i) => ({ input: s.input, scenario: s.scenario, line: i + 1 })), ...(o.webchat ? { webchat: o.webchat } : {}), syncTimeoutMs: 5000 });
  } finally {
    writer.close();
    await engine.close();
  }
  const recorded = summarizeTurns(readCassette(path).events);
  expect(recorded).toHaveLength(script.length);
  script.forEach((s, i) => (turns[s.key] = recorded[i]!));
}

beforeAll(async () => {
  peer = await startPeer({ speed: 0 });
  sync = createSyncService({ dataDir: dir, baseDelayMs: 20, maxDelayMs: 200 });
  await record('gateway', peer.gatewayEnv, [
    { key: 'gwHappy', input: 'What is streaming?', scenario: 'happy' },
    { key: 'gwPii', input: 'my card please', scenario: 'pii' },
    { key: 'gwNoUsage', input: 'What is streaming?', scenario: 'no-usage' },
    { key: 'gwStall', input: 'and then?', scenario: 'stall' },
  ]);
  await record('gateway-no-sync', peer.gatewayEnv, [{ key: 'gwNoSync', input: 'What is streaming?', scenario: 'happy' }], { sync: false });
  await record('socket-modern', peer.socketEnv, [
    { key: 'sockHappy', input: 'hello there', scenario: 'happy' },
    { key: 'sockClosing', input: 'hello there', scenario: 'closing-text' },
    { key: 'sockRich', input: 'show me options', scenario: 'rich-content' },
  ], { webchat: 'modern' });
  await record('socket-no-preview', peer.socketEnv, [
    { key: 'sockPlain', input: 'hello there', scenario: 'happy' },
    { key: 'sockStall', input: 'and then?', scenario: 'stall' },
  ]);
}, 60_000);

afterAll(async () => {
  await sync?.close();
  await peer?.sim.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  a: Assertion;
  turn: string;
  baseline?: string;
  ok: boolean;
  got?: RegExp;
}

const CASES: Case[] = [
  // text
  { name: 'the filtered answer contains what it says', a: { kind: 'contains', text: 'snake_case' }, turn: 'gwHappy', ok: true },
  { name: 'a word the answer lacks', a: { kind: 'contains', text: 'zebra' }, turn: 'gwHappy', ok: false, got: /^not found$/ },
  { name: 'the masked card is in the filtered text', a: { kind: 'contains', text: '[CREDIT_CARD]' }, turn: 'gwPii', ok: true },
  { name: 'the card is not in the raw text as a mask', a: { kind: 'contains', text: '[CREDIT_CARD]', on: 'raw' }, turn: 'gwPii', ok: false },
  { name: 'the e-mail is gone from the filtered text', a: { kind: 'notContains', text: 'jane.doe@example.com' }, turn: 'gwPii', ok: true },
  { name: 'the e-mail is in the raw text', a: { kind: 'notContains', text: 'JANE.DOE@EXAMPLE.COM', on: 'raw', ignoreCase: true }, turn: 'gwPii', ok: false, got: /^found at \d+$/ },
  { name: 'a markdown list', a: { kind: 'regex', pattern: '^- ', flags: 'm' }, turn: 'gwHappy', ok: true },
  { name: 'sixteen digits in the filtered text', a: { kind: 'regex', pattern: '\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}' }, turn: 'gwPii', ok: false, got: /^no match$/ },
  { name: 'an answer like the recording', a: { kind: 'similarity', min: 0.99 }, turn: 'gwHappy', baseline: 'gwNoSync', ok: true },
  { name: 'the PII answer is not like the happy one', a: { kind: 'similarity', min: 0.9 }, turn: 'gwPii', baseline: 'gwHappy', ok: false, got: /^similarity 0\.\d{3}$/ },
  { name: 'similarity without a recording cannot pass', a: { kind: 'similarity', min: 0.1 }, turn: 'gwPii', ok: false, got: /^no recording to compare with$/ },
  // safety
  { name: 'no card in the happy answer', a: { kind: 'noHit', type: 'CREDIT_CARD' }, turn: 'gwHappy', ok: true },
  { name: 'a card was detected (masked)', a: { kind: 'noHit', type: 'CREDIT_CARD' }, turn: 'gwPii', ok: false, got: /^1 × CREDIT_CARD \(mask at \d+–\d+\)$/ },
  { name: 'no card released unmasked', a: { kind: 'noHit', type: 'CREDIT_CARD', actions: ['off'] }, turn: 'gwPii', ok: true },
  { name: 'no leak in a real filtered turn', a: { kind: 'noLeak' }, turn: 'gwPii', ok: true },
  { name: 'a leak alarm fails it', a: { kind: 'noLeak' }, turn: 'gwPiiLeaked', ok: false, got: /^1 leak event\(s\), first at filtered offset 7$/ },
  { name: 'no Webchat warning for a plain answer (modern)', a: { kind: 'noWebchatWarning' }, turn: 'sockHappy', ok: true },
  { name: 'modern Webchat drops the closing chunk’s text', a: { kind: 'noWebchatWarning', warning: 'closing-text-dropped' }, turn: 'sockClosing', ok: false, got: /^closing-text-dropped: / },
  { name: 'only the named warning counts', a: { kind: 'noWebchatWarning', warning: 'split-bubbles' }, turn: 'sockClosing', ok: true },
  { name: 'no preview, no verdict', a: { kind: 'noWebchatWarning' }, turn: 'sockPlain', ok: false, got: /^no Webchat preview ran/ },
  // stream
  { name: 'TTFT within 30 s', a: { kind: 'ttft', max: 30_000 }, turn: 'gwHappy', ok: true },
  { name: 'TTFT ≤ 0 ms cannot hold over a socket', a: { kind: 'ttft', max: 0 }, turn: 'gwHappy', ok: false, got: /^\d+ ms$/ },
  { name: 'no token, no TTFT', a: { kind: 'ttft', max: 30_000 }, turn: 'sockStall', ok: false, got: /^no token arrived$/ },
  { name: 'small gaps at full speed', a: { kind: 'maxGap', max: 5_000 }, turn: 'gwHappy', ok: true },
  { name: 'the stall’s silence until the timeout is the longest gap', a: { kind: 'maxGap', max: 200 }, turn: 'gwStall', ok: false, got: /^\d+ ms \(the silence that ended in the timeout\)$/ },
  { name: 'fast enough', a: { kind: 'tokensPerSecond', min: 1 }, turn: 'gwHappy', ok: true },
  { name: 'not a billion tokens a second', a: { kind: 'tokensPerSecond', min: 1e9 }, turn: 'gwHappy', ok: false, got: /^[\d.]+ tokens\/s$/ },
  { name: 'one streamed message (socket)', a: { kind: 'messages', min: 1, max: 1 }, turn: 'sockHappy', ok: true },
  { name: 'not two messages', a: { kind: 'messages', min: 2 }, turn: 'sockHappy', ok: false, got: /^1$/ },
  { name: 'a gateway answer is one message', a: { kind: 'messages', max: 1 }, turn: 'gwHappy', ok: true },
  { name: 'some chunks', a: { kind: 'chunks', min: 2, max: 10_000 }, turn: 'gwHappy', ok: true },
  { name: 'more than one chunk', a: { kind: 'chunks', max: 1 }, turn: 'sockHappy', ok: false, got: /^\d+$/ },
  { name: 'quick replies are there', a: { kind: 'structured', present: true, type: 'rich-content', summary: 'quick replies' }, turn: 'sockRich', ok: true },
  { name: 'quick replies are missing', a: { kind: 'structured', present: true, summary: 'quick replies' }, turn: 'sockHappy', ok: false, got: /^none$/ },
  { name: 'no gallery expected, one came', a: { kind: 'structured', present: false, summary: 'gallery' }, turn: 'sockRich', ok: false, got: /^1: gallery: 3 cards$/ },
  { name: 'no control command among rich content', a: { kind: 'structured', present: false, type: 'control-command' }, turn: 'sockRich', ok: true },
  // outcome
  { name: 'complete', a: { kind: 'status' }, turn: 'gwHappy', ok: true },
  { name: 'the stall is not complete', a: { kind: 'status' }, turn: 'gwStall', ok: false, got: /^partial \(timeout\)$/ },
  { name: 'the stall ends partial, as asked', a: { kind: 'status', is: ['partial', 'failed'] }, turn: 'gwStall', ok: true },
  { name: 'synced', a: { kind: 'synced' }, turn: 'gwHappy', ok: true },
  { name: 'a session without sync never synced', a: { kind: 'synced' }, turn: 'gwNoSync', ok: false, got: /^no sync happened$/ },
  { name: 'usage within range', a: { kind: 'usage', min: 10, max: 5000 }, turn: 'gwHappy', ok: true },
  { name: 'usage over its max', a: { kind: 'usage', part: 'completion', max: 3 }, turn: 'gwHappy', ok: false, got: /^\d+ \(reported\)$/ },
  { name: 'reported usage required, only estimated came', a: { kind: 'usage', source: 'reported', min: 1 }, turn: 'gwNoUsage', ok: false, got: /^no reported usage$/ },
  { name: 'the estimate is there', a: { kind: 'usage', source: 'estimated', min: 1 }, turn: 'gwNoUsage', ok: true },
];

function turnFor(key: string): TurnRecord {
  if (key === 'gwPiiLeaked') {
    // The filter is proven leak-free, so no simulator scenario raises the leak alarm; the real PII turn
    // plus the alarm event as the engine emits it stands in for a filter that regressed.
    const t = turns.gwPii!;
    return summarizeTurns([...t.events, { type: 'filter.leak', turnId: t.turnId, at: t.durationMs ?? 0, detail: 'streamed output differs from the whole-text output', position: 7 }])[0]!;
  }
  const t = turns[key];
  if (!t) throw new Error(`no recorded turn ${key}`);
  return t;
}

describe('assertion kinds on recorded simulator turns', () => {
  it('the recordings are what the cases rely on', () => {
    expect(turns.gwHappy).toMatchObject({ status: 'complete', usage: { source: 'reported' } });
    expect(turns.gwStall).toMatchObject({ status: 'partial', cause: 'timeout' });
    expect(turns.gwStall!.tokens.length).toBeGreaterThan(0);
    expect(turns.sockRich!.structured.length).toBeGreaterThan(0);
    expect(turns.sockHappy!.tokens.every((t) => t.messageId !== undefined)).toBe(true);
    expect(turns.sockPlain!.webchat).toBeUndefined();
    expect(turns.sockStall).toMatchObject({ status: 'failed', cause: 'timeout', tokens: [] });
  });

  it.each(CASES)('$a.kind: $name', (c) => {
    const v = evaluateAssertion(c.a, { turn: turnFor(c.turn), ...(c.baseline ? { baseline: turnFor(c.baseline) } : {}) });
    expect(v.ok, `${v.expected} — got ${v.got}`).toBe(c.ok);
    expect(v.expected.length).toBeGreaterThan(0);
    if (c.got) expect(v.got).toMatch(c.got);
  });

  it('every kind has a case that passes and one that fails', () => {
    const kinds: AssertionKind[] = Object.values(ASSERTION_FAMILIES).flat();
    for (const kind of kinds) {
      expect(CASES.some((c) => c.a.kind === kind && c.ok), `${kind} passes somewhere`).toBe(true);
      expect(CASES.some((c) => c.a.kind === kind && !c.ok), `${kind} fails somewhere`).toBe(true);
    }
  });
});
