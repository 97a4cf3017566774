// Gateway config PUT of the simulator: Bearer auth, 403 naming the missing scope, value validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../electron/core/simulator/index';
import { getToken, startSim } from './helpers';

let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSim();
  token = await getToken(sim);
});
afterAll(() => sim.close());

async function put(body: unknown, bearer: string | null = token) {
  const r = await fetch(`${sim.url}/api/v2/llm/gateway/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, unknown> };
}

const good = { streaming: true, model: 'gpt-4-turbo', temperature: 0.7, max_tokens: 1024, dialog_id: 'dlg-1' };

describe('gateway config', () => {
  it('stores a valid config and returns it', async () => {
    const r = await put(good);
    expect(r.status).toBe(200);
    expect(r.json).toEqual(good);
    expect((await put({ ...good, temperature: 0 })).json.temperature).toBe(0);
    expect((await put({ ...good, temperature: 2, max_tokens: 1 })).status).toBe(200);
  });

  it('answers 401 without, or with an unknown, Bearer token', async () => {
    const none = await put(good, null);
    expect(none.status).toBe(401);
    expect(none.json.error).toBe('invalid_token');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer .*invalid_token/);
    const unknown = await put(good, 'not-a-token');
    expect(unknown.status).toBe(401);
    expect(JSON.stringify(unknown.json)).not.toContain('not-a-token');
  });

  it('answers 403 naming the missing scope', async () => {
    const noStream = await put(good, await getToken(sim, 'api:access bot:dialog:write'));
    expect(noStream.status).toBe(403);
    expect(noStream.json).toEqual({ error: 'insufficient_scope', error_description: 'missing scope llm:stream' });
    const noApi = await put(good, await getToken(sim, 'llm:stream'));
    expect(noApi.status).toBe(403);
    expect(noApi.json).toEqual({ error: 'insufficient_scope', error_description: 'missing scope api:access' });
    expect(noApi.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it.each([
    [{ temperature: 2.5 }, 'temperature'],
    [{ temperature: -0.1 }, 'temperature'],
    [{ temperature: '0.7' }, 'temperature'],
    [{ max_tokens: 0 }, 'max_tokens'],
    [{ max_tokens: 1.5 }, 'max_tokens'],
    [{ streaming: 'yes' }, 'streaming'],
    [{ model: '' }, 'model'],
  ])('answers 400 naming the field for %j', async (patch, field) => {
    const r = await put({ ...good, ...patch });
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_request');
    expect(r.json.field).toBe(field);
    expect(String(r.json.error_description)).toContain(field);
  });

  it('answers 400 for bad JSON and for a body that is not an object', async () => {
    const bad = await put('{"streaming":');
    expect(bad.status).toBe(400);
    expect(bad.json.error_description).toMatch(/JSON/);
    expect((await put([1, 2])).status).toBe(400);
  });

  it('does not store a rejected config', async () => {
    await put(good);
    await put({ ...good, temperature: 9 });
    expect((await put({})).json).toEqual({});
  });

  it('failNext("config", 429) answers 429 with Retry-After, and counts every PUT', async () => {
    const before = sim.stats.configPuts;
    sim.failNext('config', 429, { retryAfter: '3' });
    const r = await put(good);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect((await put(good)).status).toBe(200);
    expect(sim.stats.configPuts - before).toBe(2);
  });
});
