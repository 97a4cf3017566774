// Recording real dialogs from the simulator through the session engine, over both upstreams; the
// cassette must never hold a secret, the URL token or an access token (grepped for).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../../shared/environment';
import { compilePolicy, filterText } from '../../../electron/core/filters';
import { cassetteEnvironment } from '../../../electron/core/recording/cassette-environment';
import { readCassette } from '../../../electron/core/recording/cassette-reader';
import { createCassetteWriter } from '../../../electron/core/recording/cassette-writer';
import { recordDialog } from '../../../electron/core/recording/record-dialog';
import { answerText, summarizeTurns } from '../../../electron/core/recording/turns';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { createSyncService, type SyncService } from '../../../electron/core/session/sync-service';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer;
let sync: SyncService;
const dir = mkdtempSync(join(tmpdir(), 'record-dialog-'));
// Every access token the simulator hands out, seen on the wire: the gateway turns go through a TCP relay
// that reads the simulator's answers as they pass.
const accessTokens = new Set<string>();
let wire: Server;
let gatewayHost: string;

beforeAll(async () => {
  wire = createServer((client) => {
    const upstream = connect(peer.sim.port, '127.0.0.1');
    let seen = '';
    upstream.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      for (const m of seen.matchAll(/"access_token":"([^"]+)"/g)) accessTokens.add(m[1]!);
      seen = seen.slice(-256); // a token split across two reads is still found
    });
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => wire.listen(0, '127.0.0.1', resolve));
  gatewayHost = `127.0.0.1:${(wire.address() as AddressInfo).port}`;
  peer = await startPeer({ speed: 0 });
  sync = createSyncService({ dataDir: dir, baseDelayMs: 20, maxDelayMs: 200 });
});
afterAll(async () => {
  wire.close();
  await sync.close();
  await peer.sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const SCRIPT = [
  { input: 'What is streaming?', line: 1 },
  { input: 'my card please', scenario: 'pii', line: 2 },
  { input: 'emoji?', scenario: 'emoji-split', line: 3 },
  { input: 'bytes?', scenario: 'binary-utf8', line: 4 },
];

async function recordOn(env: Environment, path: string, redact = false) {
  const engine = createSessionEngine({ environment: env, secrets: peer.secrets, sync, idleTimeoutMs: 5000 });
  const compiled = compilePolicy();
  const writer = createCassetteWriter({
    path,
    redact,
    filterInput: (s) => filterText(compiled, s).output,
    secrets: [peer.creds.clientSecret, peer.creds.apiKey, peer.creds.urlToken],
    header: { upstream: env.kind, environment: cassetteEnvironment(env), model: env.model, scenario: 'happy' },
  });
  try {
    const result = await recordDialog({ engine, writer, turns: SCRIPT });
    return result;
  } finally {
    writer.close();
    await engine.close();
  }
}

function expectNoSecrets(path: string) {
  const text = readFileSync(path, 'utf8');
  expect(text).not.toContain(peer.creds.clientSecret);
  expect(text).not.toContain(peer.creds.apiKey);
  expect(text).not.toContain(peer.creds.urlToken);
  expect(text).not.toContain('[secret removed]');
  for (const t of accessTokens) expect(text).not.toContain(t);
}

describe.each(['gateway', 'socket-endpoint'] as const)('recording a dialog over %s', (kind) => {
  const env = (): Environment => (kind === 'gateway' ? { ...peer.gatewayEnv, gateway: { ...peer.gatewayEnv.gateway, host: gatewayHost } } : peer.socketEnv);

  it('writes every turn with its events, sync outcome included, and no secret or token', async () => {
    const path = join(dir, `${kind}.jsonl`);
    const tokensBefore = accessTokens.size;
    const { summaries, notRun } = await recordOn(env(), path);
    expect(notRun).toBe(0);
    expect(summaries.map((s) => s.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
    const c = readCassette(path);
    expect(c.header).toMatchObject({ upstream: kind, redacted: false });
    const turns = summarizeTurns(c.events);
    expect(turns.map((t) => t.input)).toEqual(SCRIPT.map((s) => s.input));
    expect(turns.map((t) => t.scenario)).toEqual([undefined, 'pii', 'emoji-split', 'binary-utf8']);
    turns.forEach((t, i) => {
      expect(t.rawText).toBe(summaries[i]?.rawText);
      expect(answerText(t)).toBe(summaries[i]?.filteredText);
      expect(t.syncs.map((s) => s.state)).toEqual(['synced']);
    });
    if (kind === 'gateway') {
      expect(accessTokens.size).toBeGreaterThan(tokensBefore);
      expect(c.events.some((e) => e.type === 'token' && e.bytes !== undefined)).toBe(true);
    }
    expectNoSecrets(path);
  });

  it('--redact keeps only filtered text: no card number, e-mail or raw token text', async () => {
    const path = join(dir, `${kind}-redacted.jsonl`);
    await recordOn(env(), path, true);
    const text = readFileSync(path, 'utf8');
    expect(text.replace(/[^0-9]/g, '')).not.toContain('4111111111111111');
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('"raw.text"');
    const c = readCassette(path);
    expect(c.header.redacted).toBe(true);
    const turns = summarizeTurns(c.events);
    expect(turns[1]?.filteredText).toContain('[CREDIT_CARD]');
    expect(turns.every((t) => t.rawText === null && t.tokens.length > 0 && t.tokens.every((k) => k.text === undefined && k.bytes === undefined && k.size > 0))).toBe(true);
    expectNoSecrets(path);
  });
});

describe('cancelling a recording', () => {
  it('ends the running turn as cancelled and keeps what was recorded as a valid cassette; progress per turn', async () => {
    const env = peer.gatewayEnv;
    const engine = createSessionEngine({ environment: env, secrets: peer.secrets, sync, idleTimeoutMs: 20_000 });
    const path = join(dir, 'cancelled.jsonl');
    const writer = createCassetteWriter({ path, header: { upstream: env.kind, environment: cassetteEnvironment(env), model: env.model } });
    const ac = new AbortController();
    const progress: string[] = [];
    try {
      const result = await recordDialog({
        engine,
        writer,
        signal: ac.signal,
        turns: [
          { input: 'What is streaming?', line: 1 },
          // stall: three frames, then silence far longer than this test; only the cancel can end it.
          { input: 'and then?', scenario: 'stall', line: 2 },
          { input: 'never sent', line: 3 },
        ],
        onTurnStart: (i) => progress.push(`start ${i}`),
        onEvent: (i, e) => {
          if (i === 1 && e.type === 'token' && !ac.signal.aborted) {
            progress.push('token 1');
            ac.abort();
          }
        },
        onTurnEnd: (i, s) => progress.push(`end ${i} ${s.status}`),
      });
      expect(result.summaries.map((x) => x.status)).toEqual(['complete', 'cancelled']);
      expect(result.notRun).toBe(1);
    } finally {
      writer.close();
      await engine.close();
    }
    expect(progress).toEqual(['start 0', 'end 0 complete', 'start 1', 'token 1', 'end 1 cancelled']);
    const c = readCassette(path);
    expect(c.warnings).toEqual([]);
    const turns = summarizeTurns(c.events);
    expect(turns.map((t) => [t.input, t.status])).toEqual([
      ['What is streaming?', 'complete'],
      ['and then?', 'cancelled'],
    ]);
    expect(turns[1]!.tokens.length).toBeGreaterThan(0);
  });
});

