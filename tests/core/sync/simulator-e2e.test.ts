// The engine against the project's own simulator (OAuth JSON grant, Bearer, Idempotency-Key): Retry-After
// in both forms, a final 404, and exactly-once application.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createSimulator, type Simulator } from '../../../electron/core/simulator';
import { createSyncEngine, type SyncEngine } from '../../../electron/core/sync/sync-engine';
import { eventLog, readOutbox, tempDir, variablesJob, variablesSender } from './fixtures/helpers';

const CREDS = { clientId: 'e2e-client', clientSecret: `e2e-${process.pid}` };
let sim: Simulator;
let dir: string;
let cleanup: () => Promise<void>;
let engine: SyncEngine;
let log: ReturnType<typeof eventLog>;

async function token(): Promise<string> {
  const res = await fetch(`${sim.url}/api/v2/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: CREDS.clientId, client_secret: CREDS.clientSecret, scope: 'bot:dialog:write' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeEach(async () => {
  sim = await createSimulator({ ...CREDS, urlToken: 'u', apiKey: 'k', speed: 0 });
  ({ dir, cleanup } = await tempDir());
  log = eventLog();
  const t = token();
  engine = createSyncEngine({
    outboxPath: join(dir, 'outbox.json'),
    resolveSender: () => variablesSender(sim.url, () => t),
    onStatus: log.onStatus,
    baseDelayMs: 1,
    maxDelayMs: 5,
  });
});
afterEach(async () => {
  await engine.close();
  await sim.close();
  await cleanup();
});

describe('sync engine against the simulator', () => {
  it('Retry-After in delay-seconds: waits at least that long, then applies once', async () => {
    sim.failNext('variables', 429, { retryAfter: '1' });
    const t0 = Date.now();
    await expect(engine.enqueue(variablesJob('sim-seconds'))).resolves.toBe('synced');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(log.states()).toEqual(['queued', 'sending#1', 'retrying#1', 'sending#2', 'synced']);
    expect(sim.stats).toMatchObject({ variablesRequests: 2, variablesApplied: 1 });
  });

  it('Retry-After as an HTTP date: no retry before that instant', async () => {
    const notBefore = Math.floor((Date.now() + 2000) / 1000) * 1000; // HTTP dates have whole seconds
    sim.failNext('variables', 503, { retryAfter: new Date(notBefore).toUTCString() });
    await expect(engine.enqueue(variablesJob('sim-date'))).resolves.toBe('synced');
    expect(Date.now()).toBeGreaterThanOrEqual(notBefore);
    const retrying = log.events.find((e) => e.state === 'retrying')!;
    expect(retrying).toMatchObject({ cause: 'server_error' });
    expect(retrying.nextAttemptAt).toBeGreaterThanOrEqual(notBefore);
    expect(sim.stats).toMatchObject({ variablesRequests: 2, variablesApplied: 1 });
  });

  it('an unknown dialog (404) is final: one request, failed list, nothing applied', async () => {
    const job = variablesJob('sim-404');
    await expect(engine.enqueue({ ...job, payload: { dialogId: 'unknown-dialog', body: (job.payload as { body: unknown }).body } })).resolves.toBe('failed');
    expect(log.events.at(-1)).toMatchObject({ state: 'failed', cause: 'not_found' });
    expect(sim.stats).toMatchObject({ variablesRequests: 1, variablesApplied: 0 });
    expect((await readOutbox(join(dir, 'outbox.json')))!.failed.map((j) => j.id)).toEqual(['sim-404']);
  });
});
