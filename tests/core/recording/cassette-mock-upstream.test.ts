// A cassette served as a mock upstream: the simulator answers with the recorded stream, and both Cognigy's
// official @cognigy/socket-client and our gateway client get the recorded text, over real loopback sockets.
import { SocketClientV4 as SocketClient } from '../../compat/clients';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Environment } from '../../../shared/environment';
import { cassetteAnswerSource } from '../../../electron/core/recording/cassette-answer-source';
import { cassetteEnvironment } from '../../../electron/core/recording/cassette-environment';
import { readCassette } from '../../../electron/core/recording/cassette-reader';
import { createCassetteWriter } from '../../../electron/core/recording/cassette-writer';
import { recordDialog } from '../../../electron/core/recording/record-dialog';
import { summarizeTurns, type TurnRecord } from '../../../electron/core/recording/turns';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';
import { createSimulator } from '../../../electron/core/simulator';
import type { Simulator } from '../../../electron/core/simulator/types';
import { startPeer, type TestPeer } from '../../helpers/simulator';
import { turnEvents } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'mock-upstream-'));
const CREDS = { clientId: 'mock-client', clientSecret: 'mock-secret-123456', urlToken: 'mock-url-token', apiKey: 'mock-api-key-123456' };
const SCRIPT = [
  { input: 'What is streaming?', line: 1 },
  { input: 'card?', scenario: 'pii', line: 2 },
  { input: 'emoji?', scenario: 'emoji-split', line: 3 },
  { input: 'bytes?', scenario: 'binary-utf8', line: 4 },
];

let recorder: TestPeer;
let recorded: TurnRecord[];
let mock: Simulator;
let cassettePath: string;

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined); // the official client logs every step
  recorder = await startPeer({ speed: 0 });
  cassettePath = join(dir, 'dialog.jsonl');
  const env = recorder.gatewayEnv;
  const engine = createSessionEngine({ environment: env, secrets: recorder.secrets });
  const writer = createCassetteWriter({ path: cassettePath, header: { upstream: env.kind, environment: cassetteEnvironment(env), model: env.model } });
  await recordDialog({ engine, writer, turns: SCRIPT });
  writer.close();
  await engine.close();
  await recorder.sim.close();
  const cassette = readCassette(cassettePath);
  recorded = summarizeTurns(cassette.events);
  mock = await createSimulator({ port: 0, ...CREDS, speed: 0, cassette: cassetteAnswerSource(cassette) });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a cassette as mock upstream', () => {
  it('serves the recorded text to the official @cognigy/socket-client', async () => {
    const client = new SocketClient(mock.url, CREDS.urlToken, { reconnection: false, forceWebsockets: true });
    try {
      await client.connect();
      for (const t of recorded) {
        const outs: Array<{ text: string }> = [];
        const onOutput = (o: unknown) => outs.push(o as { text: string });
        client.on('output', onOutput);
        await new Promise<void>((resolve) => {
          client.once('finalPing', () => resolve());
          client.sendMessage(t.input, {});
        });
        client.off('output', onOutput);
        expect(outs.map((o) => o.text).join(''), t.input).toBe(t.rawText);
      }
    } finally {
      client.disconnect();
    }
  });

  it('serves the recorded text and usage to the gateway client, byte-split frames included', async () => {
    const env = Environment.parse({ name: 'mock', kind: 'gateway', gateway: { host: `127.0.0.1:${mock.port}`, clientId: CREDS.clientId, dialogId: 'd' } });
    const engine = createSessionEngine({ environment: env, secrets: createMemoryStore({ mock: { 'client-secret': CREDS.clientSecret } }) });
    try {
      for (const t of recorded) {
        const s = await engine.startTurn({ input: t.input });
        expect(s.status, t.input).toBe('complete');
        expect(s.rawText, t.input).toBe(t.rawText);
        expect(s.usage?.reported).toEqual(t.usage?.reported);
      }
    } finally {
      await engine.close();
    }
    expect(recorded.map((t) => t.rawText?.length)).not.toContain(0);
  });

  it('keeps the recorded pacing at speed 1 (first token not before the recorded TTFT)', async () => {
    const events = turnEvents({ turnId: 't', input: 'slow?', tokens: ['a', 'b', 'c'], firstMs: 400, gapMs: 20 });
    const source = cassetteAnswerSource({ header: readCassette(cassettePath).header, events });
    const sim = await createSimulator({ port: 0, ...CREDS, speed: 1, cassette: source });
    const env = Environment.parse({ name: 'mock', kind: 'gateway', gateway: { host: `127.0.0.1:${sim.port}`, clientId: CREDS.clientId, dialogId: 'd' } });
    const engine = createSessionEngine({ environment: env, secrets: createMemoryStore({ mock: { 'client-secret': CREDS.clientSecret } }) });
    try {
      const s = await engine.startTurn({ input: 'slow?' });
      expect(s.rawText).toBe('abc');
      expect(s.ttftMs).toBeGreaterThanOrEqual(360);
    } finally {
      await engine.close();
      await sim.close();
    }
  });
});
