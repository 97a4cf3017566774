// Replay fails on a NEW Webchat warning: recordings made with the real engine against the simulator's
// Socket Endpoint, replayed through the real engine again; the JUnit report carries the warnings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebchatMode } from '../../../shared/webchat';
import { createCassetteWriter } from '../../../electron/core/recording/cassette-writer';
import { runEngineTurn } from '../../../electron/core/recording/engine-turn';
import { junitXml } from '../../../electron/core/recording/junit';
import { replayCassettes, type OpenReplaySession } from '../../../electron/core/recording/replay-runner';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer;
const dir = mkdtempSync(join(tmpdir(), 'webchat-replay-'));
beforeAll(async () => {
  peer = await startPeer();
});
afterAll(async () => {
  await peer.sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const engineFor = () => createSessionEngine({ environment: peer.socketEnv, secrets: peer.secrets, idleTimeoutMs: 5_000 });

/** Records one real turn (optionally previewed) into a cassette. */
async function record(name: string, scenario: string, webchat?: WebchatMode, redact = false): Promise<string> {
  const path = join(dir, name);
  const engine = engineFor();
  const { events } = await runEngineTurn(engine, { input: 'Tell me about streaming', scenario, ...(webchat ? { webchat } : {}) });
  await engine.close();
  const w = createCassetteWriter({
    path,
    overwrite: true,
    redact,
    header: { upstream: 'socket-endpoint', environment: { name: 'sim-sock', kind: 'socket-endpoint', socketEndpoint: { endpointUrl: peer.sim.url } }, model: { model: 'gpt-4-turbo', temperature: 0.7, maxTokens: 1024 }, scenario },
  });
  for (const e of events) w.append(e);
  w.close();
  return path;
}

const session: OpenReplaySession = async () => {
  const engine = engineFor();
  return {
    runTurn: async (req) => (await runEngineTurn(engine, { input: req.input, ...(req.scenario ? { scenario: req.scenario } : {}), ...(req.webchat ? { webchat: req.webchat } : {}), signal: req.signal })).events,
    close: () => engine.close(),
  };
};

const replay = (path: string, o: { scenario?: string; webchat?: WebchatMode } = {}) => replayCassettes([path], { openSession: session, compare: { checkSync: false }, ...o });
const checkOf = (r: Awaited<ReturnType<typeof replay>>, name: string) => r.cassettes[0]!.turns[0]!.checks.find((c) => c.check === name);

describe('replay × Webchat warnings', () => {
  it('a clean recording replayed into a closing chunk with text fails the webchat check, and JUnit says why', async () => {
    const path = await record('modern-happy.jsonl', 'happy', 'modern');
    const r = await replay(path, { scenario: 'closing-text' });
    expect(r.ok).toBe(false);
    const webchat = checkOf(r, 'webchat')!;
    expect(webchat.ok).toBe(false);
    expect(webchat.expected).toMatch(/^no Webchat warning the recording did not have \(modern/);
    expect(webchat.got).toMatch(/^1 new: closing-text-dropped: Webchat drops "/);
    const xml = junitXml(r);
    expect(xml).toMatch(/<failure message="[^"]*webchat: expected no Webchat warning/);
    expect(xml).toMatch(/<system-out>webchat closing-text-dropped: Webchat drops/);
  });

  it('a warning the recording already had does not fail the replay (it stays in the JUnit output)', async () => {
    const path = await record('modern-closing.jsonl', 'closing-text', 'modern');
    const r = await replay(path);
    expect(checkOf(r, 'webchat')).toMatchObject({ ok: true, got: 'only the recorded 1 warning(s)' });
    expect(r.ok).toBe(true);
    expect(junitXml(r)).toMatch(/<system-out>webchat closing-text-dropped/);
  });

  it('a recording made without the preview is previewed again from its own events as the baseline', async () => {
    const clean = await record('plain-happy.jsonl', 'happy');
    const failing = await replay(clean, { scenario: 'closing-text', webchat: 'slick' });
    expect(checkOf(failing, 'webchat')!.ok).toBe(false);
    const known = await record('plain-closing.jsonl', 'closing-text');
    const passing = await replay(known, { webchat: 'slick' });
    expect(checkOf(passing, 'webchat')).toMatchObject({ ok: true, got: 'only the recorded 1 warning(s)' });
  });

  it('a redacted recording (no raw text) still gives the baseline, from the token sizes', async () => {
    const path = await record('redacted-closing.jsonl', 'closing-text', undefined, true);
    const r = await replay(path, { webchat: 'modern' });
    expect(checkOf(r, 'webchat')).toMatchObject({ ok: true, got: 'only the recorded 1 warning(s)' });
    const clean = await record('redacted-happy.jsonl', 'happy', undefined, true);
    expect(checkOf(await replay(clean, { scenario: 'closing-text', webchat: 'modern' }), 'webchat')!.ok).toBe(false);
  });

  it('without any preview (recording or replay) there is no webchat check', async () => {
    const path = await record('none.jsonl', 'happy');
    expect(checkOf(await replay(path), 'webchat')).toBeUndefined();
  });
});
