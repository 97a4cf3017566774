import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSyncEngine, SyncEngineClosedError, type SyncEngineOptions } from '../../../electron/core/sync/sync-engine';
import { backoffDelay } from '../../../electron/core/sync/backoff';
import { parseHttpDate } from '../../../electron/core/net/retry-after';
import type { OutboxIssue } from '../../../electron/core/sync/types';
import { eventLog, readOutbox, variablesJob, variablesSender, waitFor } from './fixtures/helpers';
import { seededRandom } from './fixtures/seeded-random';
import { usePeerAndDir } from './fixtures/peer-and-dir';

const fx = usePeerAndDir();

function engine(over: Partial<SyncEngineOptions> = {}) {
  const log = eventLog();
  const issues: OutboxIssue[] = [];
  const e = createSyncEngine({
    outboxPath: fx.outboxPath,
    resolveSender: () => variablesSender(fx.peer.url),
    onStatus: log.onStatus,
    onIssue: (i) => issues.push(i),
    baseDelayMs: 1,
    maxDelayMs: 5,
    random: seededRandom(1),
    ...over,
  });
  fx.engines.push(e);
  return { e, log, issues };
}

describe('sync engine', () => {
  it('persists the job before the first send, sends it once, then removes it', async () => {
    const seenOnDisk: unknown[] = [];
    const { e, log } = engine({
      resolveSender: () => {
        const send = variablesSender(fx.peer.url);
        return async (job, ctx) => {
          seenOnDisk.push(JSON.parse(readFileSync(fx.outboxPath, 'utf8')).pending.map((j: { id: string }) => j.id));
          return send(job, ctx);
        };
      },
    });
    await expect(e.enqueue(variablesJob('job-1'))).resolves.toBe('synced');
    expect(seenOnDisk).toEqual([['job-1']]);
    expect(fx.peer.attempts.map((a) => a.key)).toEqual(['job-1']);
    expect(fx.peer.applied.get('job-1')).toEqual({ variables: [{ name: 'llm_response', value: 'hello' }] });
    expect(log.states()).toEqual(['queued', 'sending#1', 'synced']);
    expect(log.events[0]).toMatchObject({ type: 'sync', turnId: 'turn-job-1', syncId: 'job-1', target: 'gateway-variables', attempt: 0 });
    expect((await readOutbox(fx.outboxPath))?.pending).toEqual([]);
    expect(e.pending()).toEqual([]);
  });

  it('honours Retry-After in seconds end to end, with the same Idempotency-Key on every attempt', async () => {
    fx.peer.script({ status: 429, retryAfter: '1' });
    const { e, log } = engine();
    await expect(e.enqueue(variablesJob('job-ra'))).resolves.toBe('synced');
    const [first, second] = fx.peer.attempts;
    expect(fx.peer.attempts.map((a) => a.key)).toEqual(['job-ra', 'job-ra']);
    // The wait starts when the client has the answer, i.e. after the first attempt reached the peer.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(995);
    const retrying = log.events.find((ev) => ev.state === 'retrying')!;
    expect(retrying).toMatchObject({ attempt: 1, cause: 'rate_limited', detail: 'HTTP 429: status 429' });
    expect(retrying.nextAttemptAt! - first!.at).toBeGreaterThanOrEqual(995);
    expect(log.states()).toEqual(['queued', 'sending#1', 'retrying#1', 'sending#2', 'synced']);
    expect(fx.peer.applied.size).toBe(1);
  });

  it('honours Retry-After as an HTTP date end to end', async () => {
    fx.peer.script({ status: 503, retryAfter: () => new Date(Date.now() + 2000).toUTCString() });
    const { e } = engine();
    await expect(e.enqueue(variablesJob('job-date'))).resolves.toBe('synced');
    const [first, second] = fx.peer.attempts;
    const notBefore = parseHttpDate(first!.retryAfter!)!;
    // HTTP dates have whole seconds: the second attempt comes no earlier than the named instant.
    expect(second!.at).toBeGreaterThanOrEqual(notBefore - 5);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(995);
  });

  it('backs off with full jitter: each wait is random() × min(max, base·2^retry) of a seeded random', async () => {
    fx.peer.script({ status: 503 }, { status: 503 }, { status: 502 }, { status: 500 });
    const FROZEN = Date.UTC(2025, 0, 1);
    const opts = { baseDelayMs: 20, maxDelayMs: 50 };
    const { e, log } = engine({ ...opts, random: seededRandom(7), now: () => FROZEN, maxAttempts: 6 });
    await expect(e.enqueue(variablesJob('job-jitter'))).resolves.toBe('synced');
    const expectedRandom = seededRandom(7);
    const expected = [0, 1, 2, 3].map((retry) => backoffDelay(retry, { ...opts, random: expectedRandom }));
    const waits = log.events.filter((ev) => ev.state === 'retrying').map((ev) => ev.nextAttemptAt! - FROZEN);
    expect(waits).toEqual(expected);
    expect(waits.every((w, i) => w >= 0 && w < Math.min(50, 20 * 2 ** i))).toBe(true);
    expect(new Set(waits).size).toBeGreaterThan(1); // jittered, not a fixed sleep
  });

  it('stops after maxAttempts: state failed, the job stays in the outbox, and the next start syncs it', async () => {
    fx.peer.script({ status: 429 }, { status: 429 }, { status: 429 });
    const first = engine({ maxAttempts: 3 });
    await expect(first.e.enqueue(variablesJob('job-max'))).resolves.toBe('failed');
    expect(fx.peer.attempts).toHaveLength(3);
    const failed = first.log.events.at(-1)!;
    expect(failed).toMatchObject({ state: 'failed', attempt: 3, cause: 'rate_limited' });
    expect(failed.detail).toMatch(/gave up after 3 attempts .*stays in the outbox/);
    const onDisk = (await readOutbox(fx.outboxPath))!;
    expect(onDisk.pending).toHaveLength(1);
    expect(onDisk.pending[0]).toMatchObject({ id: 'job-max', attempts: 3, lastError: 'rate_limited: HTTP 429: status 429' });
    expect(onDisk.pending[0]!.lease).toBeUndefined(); // released: another process may take it
    expect(first.e.pending().map((j) => j.id)).toEqual(['job-max']);
    await first.e.close();

    const second = engine({ maxAttempts: 3 });
    await second.e.resumePending();
    expect(second.log.states()).toEqual(['queued', 'sending#4', 'synced']);
    expect(fx.peer.attempts.map((a) => a.key)).toEqual(['job-max', 'job-max', 'job-max', 'job-max']);
    expect(fx.peer.applied.size).toBe(1);
    expect((await readOutbox(fx.outboxPath))!.pending).toEqual([]);
  });

  it('a non-retryable answer (404) fails at once into the failed list; resume skips it, retryNow sends it', async () => {
    fx.peer.script({ status: 404, body: { error: 'unknown dialog' } });
    const first = engine();
    await expect(first.e.enqueue(variablesJob('job-404'))).resolves.toBe('failed');
    expect(fx.peer.attempts).toHaveLength(1);
    expect(first.log.events.at(-1)).toMatchObject({ state: 'failed', attempt: 1, cause: 'not_found' });
    expect(first.log.events.at(-1)!.detail).toMatch(/^HTTP 404: unknown dialog; not retried/);
    const onDisk = (await readOutbox(fx.outboxPath))!;
    expect(onDisk.pending).toEqual([]);
    expect(onDisk.failed).toMatchObject([{ id: 'job-404', cause: 'not_found', status: 404, attempts: 1 }]);
    expect(first.e.failed().map((j) => j.id)).toEqual(['job-404']);
    await first.e.close();

    const second = engine();
    await second.e.resumePending();
    expect(fx.peer.attempts).toHaveLength(1); // a refused job is not resent on its own
    await second.e.retryNow('job-404');
    expect(second.log.states()).toEqual(['queued', 'sending#2', 'synced']);
    expect(await readOutbox(fx.outboxPath)).toMatchObject({ pending: [], failed: [] });
    await expect(second.e.retryNow('job-404')).rejects.toThrow(/no sync job job-404 in the outbox/);
  });

  it('400 and 403 are final too; a thrown sender error is a retryable network failure', async () => {
    fx.peer.script({ status: 400 }, { status: 403 });
    const { e, log } = engine();
    await expect(e.enqueue(variablesJob('bad'))).resolves.toBe('failed');
    await expect(e.enqueue(variablesJob('forbidden'))).resolves.toBe('failed');
    expect(e.failed().map((j) => [j.id, j.cause])).toEqual([
      ['bad', 'bad_request'],
      ['forbidden', 'forbidden'],
    ]);
    let calls = 0;
    const flaky = engine({
      resolveSender: () => async (job, ctx) => {
        if (++calls === 1) throw new TypeError('fetch failed');
        return variablesSender(fx.peer.url)(job, ctx);
      },
    });
    await expect(flaky.e.enqueue(variablesJob('flaky'))).resolves.toBe('synced');
    expect(flaky.log.events.find((ev) => ev.state === 'retrying')).toMatchObject({ cause: 'network', detail: 'request failed: fetch failed' });
    expect(log.events.every((ev) => ev.state !== 'retrying')).toBe(true);
  });

  it('close() cancels a backoff wait at once and keeps the job (with its Retry-After) in the outbox', async () => {
    fx.peer.script({ status: 429, retryAfter: '86400' });
    const { e, log } = engine();
    const outcome = e.enqueue(variablesJob('job-wait'));
    await waitFor(() => log.events.some((ev) => ev.state === 'retrying'), 'the retrying event');
    const t0 = Date.now();
    await e.close();
    await expect(outcome).resolves.toBe('pending');
    expect(Date.now() - t0).toBeLessThan(1000); // at once, vs. a wait of an hour or for ever
    const onDisk = (await readOutbox(fx.outboxPath))!;
    expect(onDisk.pending).toHaveLength(1);
    // Retry-After of a day is capped at one hour; the instant survives a restart.
    expect(onDisk.pending[0]!.nextAttemptAt! - fx.peer.attempts[0]!.at).toBeGreaterThan(3_590_000);
    expect(onDisk.pending[0]!.nextAttemptAt! - fx.peer.attempts[0]!.at).toBeLessThanOrEqual(3_600_000 + 1000);
    expect(onDisk.pending[0]!.lease).toBeUndefined();
    await expect(e.enqueue(variablesJob('late'))).rejects.toBeInstanceOf(SyncEngineClosedError);
  });

  it('close() aborts an in-flight send (AbortSignal) and does not wait for a sender that ignores it', async () => {
    fx.peer.script('hang');
    const a = engine();
    const hung = a.e.enqueue(variablesJob('job-hang'));
    await waitFor(() => fx.peer.attempts.length === 1, 'the request to reach the peer');
    await a.e.close();
    await expect(hung).resolves.toBe('pending');

    const deaf = engine({ resolveSender: () => () => new Promise(() => undefined) });
    const stuck = deaf.e.enqueue(variablesJob('job-deaf'));
    await waitFor(() => deaf.log.events.some((ev) => ev.state === 'sending'), 'the send to start');
    const t0 = Date.now();
    await deaf.e.close();
    await expect(stuck).resolves.toBe('pending');
    expect(Date.now() - t0).toBeLessThan(1000); // at once, vs. a wait of an hour or for ever
    expect((await readOutbox(fx.outboxPath))!.pending.map((j) => j.id).sort()).toEqual(['job-deaf', 'job-hang']);
  });

  it('retryNow cuts a running wait short', async () => {
    fx.peer.script({ status: 429, retryAfter: '600' });
    const { e, log } = engine();
    const outcome = e.enqueue(variablesJob('job-now'));
    await waitFor(() => log.events.some((ev) => ev.state === 'retrying'), 'the retrying event');
    const t0 = Date.now();
    await e.retryNow('job-now');
    await expect(outcome).resolves.toBe('synced');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(fx.peer.applied.size).toBe(1);
  });

  it('a restarted engine waits out a persisted Retry-After instant before resending', async () => {
    fx.peer.script({ status: 429, retryAfter: '2' });
    const first = engine();
    const outcome = first.e.enqueue(variablesJob('job-persisted'));
    await waitFor(() => first.log.events.some((ev) => ev.state === 'retrying'), 'the retrying event');
    await first.e.close();
    await expect(outcome).resolves.toBe('pending');
    const second = engine();
    await second.e.resumePending();
    expect(fx.peer.attempts[1]!.at - fx.peer.attempts[0]!.at).toBeGreaterThanOrEqual(1995);
    expect(fx.peer.applied.size).toBe(1);
  });

  it('rejects bad jobs clearly and never queues a duplicate id', async () => {
    fx.peer.script('hang');
    const { e } = engine();
    await expect(e.enqueue({ ...variablesJob('x'), id: '' })).rejects.toThrow(/invalid sync job: id/);
    await expect(e.enqueue({ ...variablesJob('x'), target: 'nowhere' as never })).rejects.toThrow(/invalid sync job: target/);
    await expect(e.enqueue({ ...variablesJob('big'), payload: { n: 1n } })).rejects.toThrow(/payload is not JSON-serialisable/);
    void e.enqueue(variablesJob('dup'));
    await waitFor(() => fx.peer.attempts.length === 1, 'the first send');
    await expect(e.enqueue(variablesJob('dup'))).rejects.toThrow(/sync job dup is already in the outbox/);
  });

  it('a throwing status listener is reported, not fatal', async () => {
    const issues: OutboxIssue[] = [];
    const { e } = engine({
      onStatus: () => {
        throw new Error('listener bug');
      },
      onIssue: (i) => issues.push(i),
    });
    await expect(e.enqueue(variablesJob('job-l'))).resolves.toBe('synced');
    expect(issues.map((i) => i.kind)).toContain('listener-threw');
  });

  it('discard removes a failed job for good', async () => {
    fx.peer.script({ status: 400 });
    const { e } = engine();
    await e.enqueue(variablesJob('job-d'));
    await expect(e.discard('job-d')).resolves.toBe(true);
    await expect(e.discard('job-d')).resolves.toBe(false);
    expect(await readOutbox(fx.outboxPath)).toMatchObject({ pending: [], failed: [] });
  });
});
