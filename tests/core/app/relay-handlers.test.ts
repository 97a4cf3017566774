import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './helpers';

describe('app service: SSE relay toggle', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());

  it('starts a relay for the demo, streams a turn as SSE, and stops', async () => {
    expect((await h.call('renderer:relay.status', {})).response).toEqual({ running: false });
    const r = await h.call('renderer:relay.start', { environment: 'demo' });
    expect(r.ok).toBe(true);
    expect(r.response).toMatchObject({ running: true, environment: 'demo' });
    const url = r.response.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await h.call('renderer:relay.status', {})).response.url).toBe(url);

    const res = await fetch(`${url}/stream?input=hi`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await res.text();
    expect(body).toMatch(/^event: token$/m);
    expect(body).toMatch(/^event: done$/m);
    const text = [...body.matchAll(/^event: token\ndata: (.*)$/gm)].map((m) => (JSON.parse(m[1]!) as { text: string }).text).join('');
    expect(text.length).toBeGreaterThan(0);

    expect((await h.call('renderer:relay.stop', {})).response).toEqual({ running: false });
    await expect(fetch(`${url}/stream?input=hi`)).rejects.toThrow();
  });

  it('restarting moves the relay; an unknown environment is refused; closing the service stops it', async () => {
    const first = (await h.call('renderer:relay.start', { environment: 'demo' })).response.url as string;
    const second = (await h.call('renderer:relay.start', { environment: 'demo' })).response.url as string;
    await expect(fetch(`${first}/stream?input=hi`)).rejects.toThrow();
    expect((await h.call('renderer:relay.start', { environment: 'nope' })).error?.code).toBe('not-found');
    expect((await h.call('renderer:relay.status', {})).response).toEqual({ running: false });
    await h.call('renderer:relay.start', { environment: 'demo' });
    const url = (await h.call('renderer:relay.status', {})).response.url as string;
    await h.service.close();
    await expect(fetch(`${url}/stream?input=hi`)).rejects.toThrow();
    expect(second).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
