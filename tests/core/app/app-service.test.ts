import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { unpairTokens, type BatchEvent } from '../../../shared/session-batch';
import { harness, type Harness } from './helpers';

const gatewayEnv = (name: string) => ({ name, kind: 'gateway', gateway: { host: '127.0.0.1:9', clientId: 'client-1' } });
const SECRET = 'sup3r-s3cret-value-for-tests';

function readAll(dir: string): string {
  let out = '';
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out += readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('app service: validation and sender checks', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());

  it('refuses an untrusted sender before touching the request', async () => {
    let touched = 0;
    const request = new Proxy({}, { get: () => (touched++, undefined), has: () => (touched++, false), ownKeys: () => (touched++, []) });
    for (const sender of ['http://evil.example/', 'http://127.0.0.1:4001/', 'file:///tmp/x.html', '', undefined]) {
      const r = await h.client.dispatch('renderer:env.list', request, sender);
      expect(r).toEqual({ ok: false, error: { code: 'invalid-sender', message: expect.any(String) } });
    }
    expect(touched).toBe(0);
  });

  it('answers an unknown channel and a malformed request with invalid-request naming the problem', async () => {
    expect((await h.call('renderer:nope', {})).error?.code).toBe('invalid-request');
    expect((await h.call('__proto__', {})).error?.code).toBe('invalid-request');
    const empty = await h.call('renderer:env.setSecret', { name: 'x', kind: 'client-secret', value: '' });
    expect(empty.error).toEqual({ code: 'invalid-request', message: expect.stringMatching(/value: the secret is empty/) });
    const kind = await h.call('renderer:env.setSecret', { name: 'x', kind: 'password', value: 'v' });
    expect(kind.error?.code).toBe('invalid-request');
    // Named by the field, never by the channel (the message can reach a person).
    expect(kind.error?.message).toMatch(/^kind: /);
    const rename = await h.call('renderer:recordings.rename', { id: 'demo-1.jsonl', name: '../x' });
    expect(rename.error?.code).toBe('invalid-request');
    expect(rename.error?.message).toMatch(/^name: use letters/);
    expect(rename.error?.message).not.toMatch(/renderer:/);
    const env = await h.call('renderer:env.save', { environment: { name: 'bad name!', kind: 'gateway' } });
    expect(env.error?.code).toBe('invalid-request');
    expect(env.error?.message).toMatch(/environment\.name/);
    expect(env.error?.message).toMatch(/gateway/);
    const temp = await h.call('renderer:env.save', { environment: { ...gatewayEnv('t'), model: { temperature: 3 } } });
    expect(temp.error?.message).toMatch(/environment\.model\.temperature: Temperature must be a number between 0 and 2/);
    expect((await h.call('renderer:turn.start', { sessionId: 's', input: '' })).error?.message).toMatch(/input: the message is empty/);
    expect((await h.call('renderer:turn.start', { sessionId: 's', input: 'x', scenario: 'nope' })).error?.message).toMatch(/scenario/);
  });

  it('reports a missing session as not-found', async () => {
    expect((await h.call('renderer:turn.cancel', { sessionId: 'gone' })).error?.code).toBe('not-found');
    expect((await h.call('renderer:sync.retry', { sessionId: 'gone', syncId: 'x' })).error?.code).toBe('not-found');
    expect((await h.call('renderer:turn.start', { sessionId: 'gone', input: 'hi' })).error?.code).toBe('not-found');
  });
});

describe('app service: environments and secrets', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());

  it('lists the built-in demo first, labelled, and refuses to change it', async () => {
    const list = await h.call('renderer:env.list', {});
    expect(list.response.environments[0]).toMatchObject({ builtIn: true, label: 'Demo (built-in simulator)', environment: { name: 'demo' } });
    expect((await h.call('renderer:env.delete', { name: 'demo' })).error?.code).toBe('conflict');
    expect((await h.call('renderer:env.save', { environment: gatewayEnv('demo') })).error?.code).toBe('conflict');
    expect((await h.call('renderer:env.setSecret', { name: 'demo', kind: 'client-secret', value: 'x' })).error?.code).toBe('conflict');
  });

  it('saves, edits, renames, duplicates and deletes; secrets are write-only and move main-side', async () => {
    const responses: unknown[] = [];
    const call = async (c: string, r: unknown) => {
      const res = await h.call(c, r);
      responses.push(res);
      return res;
    };
    const saved = await call('renderer:env.save', { environment: gatewayEnv('acme') });
    expect(saved.response.entry).toMatchObject({ builtIn: false, secrets: { 'client-secret': 'not set', 'api-key': 'not set' } });
    expect((await call('renderer:env.save', { environment: gatewayEnv('acme') })).error?.code).toBe('conflict');
    expect((await call('renderer:env.setSecret', { name: 'nobody', kind: 'client-secret', value: SECRET })).error?.code).toBe('not-found');

    const set = await call('renderer:env.setSecret', { name: 'acme', kind: 'client-secret', value: SECRET });
    expect(set.response.secrets['client-secret']).toBe('set');
    expect(await h.deps.secrets.get('acme', 'client-secret')).toBe(SECRET);

    // Edit in place keeps the secret.
    const edited = await call('renderer:env.save', { environment: { ...gatewayEnv('acme'), description: 'prod' }, previousName: 'acme' });
    expect(edited.response.entry.environment.description).toBe('prod');
    expect(edited.response.entry.secrets['client-secret']).toBe('set');

    // Rename moves it.
    const renamed = await call('renderer:env.save', { environment: gatewayEnv('acme-eu'), previousName: 'acme' });
    expect(renamed.response.entry.secrets['client-secret']).toBe('set');
    expect(await h.deps.secrets.get('acme', 'client-secret')).toBeUndefined();
    expect(await h.deps.secrets.get('acme-eu', 'client-secret')).toBe(SECRET);

    // Duplicate copies it without the renderer ever seeing it.
    const dup = await call('renderer:env.duplicate', { name: 'acme-eu', newName: 'acme-us' });
    expect(dup.response.entry).toMatchObject({ environment: { name: 'acme-us', kind: 'gateway' }, secrets: { 'client-secret': 'set' } });
    expect(await h.deps.secrets.get('acme-us', 'client-secret')).toBe(SECRET);
    expect((await call('renderer:env.duplicate', { name: 'acme-eu', newName: 'acme-us' })).error?.code).toBe('conflict');

    const list = await call('renderer:env.list', {});
    expect(list.response.environments.map((e: { environment: { name: string } }) => e.environment.name)).toEqual(['demo', 'acme-eu', 'acme-us']);

    const cleared = await call('renderer:env.clearSecret', { name: 'acme-us', kind: 'client-secret' });
    expect(cleared.response.secrets['client-secret']).toBe('not set');
    expect((await call('renderer:env.delete', { name: 'acme-eu' })).response).toEqual({ ok: true, secretsKept: [] });
    expect(await h.deps.secrets.get('acme-eu', 'client-secret')).toBeUndefined();
    expect((await call('renderer:env.delete', { name: 'acme-eu' })).error?.code).toBe('not-found');

    // Nothing that went back to the renderer, and nothing on disk, holds the secret.
    expect(JSON.stringify(responses)).not.toContain(SECRET);
    expect(readAll(h.dir)).not.toContain(SECRET);
  });

  it('tests the demo connection: token expiry and scopes', async () => {
    const r = await h.call('renderer:env.test', { name: 'demo' });
    expect(r.ok).toBe(true);
    expect(r.response).toMatchObject({ ok: true, upstream: 'gateway', grantedScopes: expect.arrayContaining(['llm:stream']), missingScopes: [] });
    expect(r.response.tokenExpiresAt).toBeGreaterThan(Date.now());
  });

  it('persists settings in the data dir', async () => {
    const before = (await h.call('renderer:settings.get', {})).response;
    expect(before.fallbacks.timeout.length).toBeGreaterThan(0);
    const next = { ...before, stallThresholdMs: 750, showTokenBoundaries: false };
    expect((await h.call('renderer:settings.set', next)).response).toEqual(next);
    expect(JSON.parse(readFileSync(join(h.dir, 'settings.json'), 'utf8'))).toEqual(next);
    expect((await h.call('renderer:settings.set', { ...next, stallThresholdMs: -1 })).error?.code).toBe('invalid-request');
  });
});

describe('app service: sessions, turns and batched events', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('streams a demo turn to the client in ordered batches with nothing dropped, flushed at turn end', async () => {
    h = harness({ speed: 0 });
    const open = await h.call('renderer:session.open', { environment: 'demo' });
    expect(open.response).toMatchObject({ environment: 'demo', upstream: 'gateway', sessionId: expect.any(String) });
    const { sessionId } = open.response;
    const started = await h.call('renderer:turn.start', { sessionId, input: 'Show me the record', scenario: 'pii' });
    expect(started.response.turnId).toMatch(/^turn-/);
    const batches = await h.until(() => {
      const b = h.pushes.filter((p) => p.channel === 'main:session.events').map((p) => p.payload as { sessionId: string; batch: number; events: BatchEvent[] });
      return b.some((x) => x.events.some((e) => e.type === 'turn.end')) ? b : undefined;
    }, 'the batch holding the turn end');
    // On the wire a token and the raw text it released are one event; unpaired, they are the engine's two.
    const wire = batches.flatMap((b) => b.events);
    const events = unpairTokens(wire);
    expect(wire.filter((e) => e.type === 'token+raw').length).toBeGreaterThan(events.filter((e) => e.type === 'token').length / 2);
    expect(batches.map((b) => b.batch)).toEqual(batches.map((_, i) => i));
    expect(batches.every((b) => b.sessionId === sessionId)).toBe(true);
    // The turn end closes its batch: nothing of the turn waits for a timer.
    expect(batches[batches.length - 1]!.events.at(-1)!.type).toBe('turn.end');
    // Exactly what the engine emitted, in order, up to the turn end — but a batch's filtered releases travel
    // as one (the window applies batches whole): the same text, hits and last hold-back.
    const upToEnd = h.direct.slice(0, h.direct.findIndex((e) => e.type === 'turn.end') + 1);
    const sentToEnd = events.slice(0, events.findIndex((e) => e.type === 'turn.end') + 1);
    const others = (evs: SessionEvent[]) => evs.filter((e) => e.type !== 'filtered.text');
    const releases = (evs: SessionEvent[]) => evs.flatMap((e) => (e.type === 'filtered.text' ? [e] : []));
    expect(others(sentToEnd)).toEqual(others(upToEnd));
    expect(releases(sentToEnd).map((e) => e.text).join('')).toBe(releases(upToEnd).map((e) => e.text).join(''));
    expect(releases(sentToEnd).flatMap((e) => e.hits)).toEqual(releases(upToEnd).flatMap((e) => e.hits));
    expect(releases(sentToEnd).at(-1)).toMatchObject({ holdback: releases(upToEnd).at(-1)!.holdback, holdbackReason: releases(upToEnd).at(-1)!.holdbackReason });
    expect(releases(sentToEnd).length).toBeLessThanOrEqual(batches.length);
    expect(events[0]).toMatchObject({ type: 'turn.start', turnId: started.response.turnId, scenario: 'pii' });
    const tokens = events.filter((e) => e.type === 'token').map((e) => (e as { index: number }).index);
    expect(tokens).toEqual(tokens.map((_, i) => i));
    expect(tokens.length).toBeGreaterThan(batches.length);
    // The filtered side never carried the card number.
    const filtered = events.filter((e) => e.type === 'filtered.text').map((e) => (e as { text: string }).text).join('');
    const raw = events.filter((e) => e.type === 'raw.text').map((e) => (e as { text: string }).text).join('');
    expect(raw).toContain('4111 1111 1111 1111');
    expect(filtered).not.toContain('4111');
    expect(filtered).toContain('[CREDIT_CARD]');
  });

  it('refuses a second turn while one runs, cancels on request, and closes sessions with the client', async () => {
    h = harness({ speed: 1 });
    const { sessionId } = (await h.call('renderer:session.open', { environment: 'demo' })).response;
    expect((await h.call('renderer:turn.start', { sessionId, input: 'first', scenario: 'stall' })).ok).toBe(true);
    const second = await h.call('renderer:turn.start', { sessionId, input: 'second' });
    expect(second.error?.code).toBe('conflict');
    expect(second.error?.message).toMatch(/already running/);
    expect((await h.call('renderer:turn.cancel', { sessionId })).response).toEqual({ ok: true });
    const end = await h.until(() => h.pushes.flatMap((p) => (p.channel === 'main:session.events' ? (p.payload as { events: SessionEvent[] }).events : [])).find((e) => e.type === 'turn.end'), 'the turn end push');
    expect(end).toMatchObject({ status: 'cancelled', cause: 'cancelled' });
    // Opening another session closes this one.
    const next = (await h.call('renderer:session.open', { environment: 'demo' })).response;
    expect(next.sessionId).not.toBe(sessionId);
    expect((await h.call('renderer:turn.cancel', { sessionId })).error?.code).toBe('not-found');
    await h.client.close();
    expect((await h.call('renderer:turn.cancel', { sessionId: next.sessionId })).error?.code).toBe('not-found');
  });

  it('cancelling a fast stream mid-answer ends the turn as cancelled and the service keeps serving', async () => {
    h = harness({ speed: 200 });
    // The cancel is sent from the engine's own event, while token 20 is being emitted: the turn cannot have
    // ended yet, so the only right ending is `cancelled` (waiting on pushes, it could finish first).
    let current = '';
    const open = h.deps.openSession.bind(h.deps);
    h.deps.openSession = async (name, o) => {
      const session = await open(name, o);
      session.engine.subscribe((e) => {
        if (e.type === 'token' && e.index === 20) void h.call('renderer:turn.cancel', { sessionId: current });
      });
      return session;
    };
    const errors: unknown[] = [];
    const onUncaught = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      for (let round = 0; round < 3; round++) {
        const { sessionId } = (await h.call('renderer:session.open', { environment: 'demo' })).response;
        current = sessionId;
        h.pushes.length = 0;
        await h.call('renderer:turn.start', { sessionId, input: `long answer ${round}`, scenario: 'happy' });
        const end = await h.until(() => h.pushes.flatMap((p) => (p.channel === 'main:session.events' ? (p.payload as { events: SessionEvent[] }).events : [])).find((e) => e.type === 'turn.end'), 'the turn end push');
        expect((end as { status: string }).status).toBe('cancelled');
      }
      expect((await h.call('renderer:app.info', {})).ok).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('reports the outbox and the sync timeline of a rate-limited sync', async () => {
    h = harness({ speed: 0 });
    const { sessionId } = (await h.call('renderer:session.open', { environment: 'demo' })).response;
    await h.call('renderer:turn.start', { sessionId, input: 'limits', scenario: 'rate-limit' });
    const synced = await h.until(() =>
      h.pushes.flatMap((p) => (p.channel === 'main:session.events' ? (p.payload as { events: SessionEvent[] }).events : [])).find((e) => e.type === 'sync' && e.state === 'synced'), 'the synced event',
    );
    expect(synced).toMatchObject({ target: 'gateway-variables' });
    const states = h.pushes
      .flatMap((p) => (p.channel === 'main:session.events' ? (p.payload as { events: SessionEvent[] }).events : []))
      .filter((e) => e.type === 'sync')
      .map((e) => (e as { state: string }).state);
    expect(states).toContain('retrying');
    const outbox = h.pushes.filter((p) => p.channel === 'main:sync.outbox').map((p) => (p.payload as { pending: number }).pending);
    expect(outbox).toContain(0);
  });
});
