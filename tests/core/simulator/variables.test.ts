// Dialog variables POST of the simulator: auth, scope, unknown dialogs, validation, 429 + Retry-After and
// Idempotency-Key (a repeated key is applied once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../electron/core/simulator/index';
import { getToken, post, startSim } from './helpers';

let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSim();
  token = await getToken(sim);
});
afterAll(() => sim.close());

const body = {
  variables: [
    { name: 'llm_response', value: 'Hello world' },
    { name: 'llm_prompt_tokens', value: 12 },
    { name: 'llm_completion_tokens', value: 3 },
    { name: 'llm_total_tokens', value: 15 },
  ],
};
const url = (dialog: string) => `${sim.url}/api/v2/bot/dialog/${encodeURIComponent(dialog)}/variables`;
const auth = (t = token) => ({ authorization: `Bearer ${t}` });

describe('dialog variables', () => {
  it('applies the variables and keeps the last ones per dialog', async () => {
    const r = await post(url('dlg-a'), body, auth());
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ dialog_id: 'dlg-a', applied: 4 });
    expect(sim.variables.get('dlg-a')).toEqual(body.variables);
  });

  it('applies a repeated Idempotency-Key once and answers 200 again', async () => {
    const before = { req: sim.stats.variablesRequests, applied: sim.stats.variablesApplied };
    const headers = { ...auth(), 'idempotency-key': 'req-idem-1' };
    const first = await post(url('dlg-idem'), body, headers);
    sim.variables.delete('dlg-idem');
    const second = await post(url('dlg-idem'), body, headers);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(sim.variables.has('dlg-idem')).toBe(false); // the replay applied nothing
    expect(sim.stats.variablesRequests - before.req).toBe(2);
    expect(sim.stats.variablesApplied - before.applied).toBe(1);
  });

  it('refuses the same Idempotency-Key with a different body (422)', async () => {
    const headers = { ...auth(), 'idempotency-key': 'req-idem-2' };
    expect((await post(url('dlg-x'), body, headers)).status).toBe(200);
    const r = await post(url('dlg-x'), { variables: [{ name: 'other', value: 1 }] }, headers);
    expect(r.status).toBe(422);
    expect(sim.variables.get('dlg-x')).toEqual(body.variables);
  });

  it('answers 401 without a valid token and 403 naming bot:dialog:write without that scope', async () => {
    expect((await post(url('dlg-a'), body)).status).toBe(401);
    expect((await post(url('dlg-a'), body, auth('bogus'))).status).toBe(401);
    const r = await post(url('dlg-a'), body, auth(await getToken(sim, 'llm:stream api:access')));
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ error: 'insufficient_scope', error_description: 'missing scope bot:dialog:write' });
  });

  it('answers 404 for unknown dialogs (ids starting with "unknown-")', async () => {
    const r = await post(url('unknown-dialog-7'), body, auth());
    expect(r.status).toBe(404);
    expect(String(r.json.error_description)).toContain('unknown-dialog-7');
  });

  it.each([
    ['not JSON', '{"variables":'],
    ['not an object', '[1]'],
    ['no variables', {}],
    ['variables not an array', { variables: { name: 'a' } }],
    ['empty variables', { variables: [] }],
    ['a variable without name', { variables: [{ value: 1 }] }],
    ['a variable without value', { variables: [{ name: 'a' }] }],
  ])('answers 400 for %s', async (_label, bad) => {
    const applied = sim.stats.variablesApplied;
    const r = await post(url('dlg-bad'), bad, auth());
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_request');
    expect(r.json.error_description).toEqual(expect.any(String));
    expect(sim.stats.variablesApplied).toBe(applied);
  });

  it('failNext("variables", 429) answers 429 with Retry-After in either form, then the retry applies', async () => {
    const date = new Date(Date.now() + 2000).toUTCString();
    sim.failNext('variables', 429, { retryAfter: '1' });
    sim.failNext('variables', 429, { retryAfter: date });
    const headers = { ...auth(), 'idempotency-key': 'req-429' };
    const a = await post(url('dlg-429'), body, headers);
    const b = await post(url('dlg-429'), body, headers);
    const c = await post(url('dlg-429'), body, headers);
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(b.headers.get('retry-after')).toBe(date);
    expect(sim.variables.get('dlg-429')).toEqual(body.variables);
  });

  it('failNext with times fails that many requests', async () => {
    sim.failNext('variables', 503, { times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(url('dlg-times'), body, auth())).status);
    expect(statuses).toEqual([503, 503, 200]);
  });
});
