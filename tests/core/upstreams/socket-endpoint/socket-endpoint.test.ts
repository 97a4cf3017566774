// The socket-endpoint upstream against the simulator's Socket.IO server and management API.
import { afterEach, describe, expect, it } from 'vitest';
import { runSocketEndpointTurn } from '../../../../electron/core/upstreams/socket-endpoint/socket-endpoint-stream';
import { socketEndpointOptions } from '../../../../electron/core/upstreams/socket-endpoint/socket-endpoint-upstream';
import { checkBodySize, createContextInjectSender, MAX_BODY_BYTES } from '../../../../electron/core/upstreams/socket-endpoint/context-inject';
import { endpointServerUrl } from '../../../../electron/core/upstreams/socket-endpoint/endpoint-url';
import type { UpstreamSink } from '../../../../electron/core/upstreams/upstream';
import { UpstreamError } from '../../../../electron/core/upstreams/upstream-error';
import { createMemoryStore } from '../../../../electron/core/secrets/memory-store';
import { failure } from '../../../helpers/failure';
import { seeEndpointSession, startPeer, statsUntil, type TestPeer } from '../../../helpers/simulator';

let peer: TestPeer | undefined;
afterEach(async () => {
  await peer?.sim.close();
  peer = undefined;
});

function recordingSink() {
  const tokens: Array<{ text?: string; messageId?: string }> = [];
  const ends: Array<{ id?: string; reason?: string }> = [];
  const issues: Array<{ kind: string; detail: string }> = [];
  const sink: UpstreamSink = {
    token: (t) => tokens.push({ text: t.text, messageId: t.origin.messageId }),
    issue: (kind, detail) => issues.push({ kind, detail }),
    messageEnd: (id, reason) => ends.push({ id, reason }),
    usage: () => undefined,
    structured: () => undefined,
    typing: () => undefined,
    connection: () => undefined,
  };
  return { sink, tokens, ends, issues };
}

const job = (payload: unknown) => ({ id: 'req-1', target: 'context-inject' as const, environment: 'sim-sock', turnId: 't1', payload, createdAt: new Date().toISOString(), attempts: 0 });

describe('socket endpoint turn', () => {
  it('waits for endpoint-ready, acks every output and finalPing, ends messages at _finishReason', async () => {
    peer = await startPeer();
    const opts = socketEndpointOptions(peer.socketEnv, { userId: 'user-1' });
    const r = recordingSink();
    await runSocketEndpointTurn(opts, { requestId: 'r', sessionId: 's-1', input: 'Hello there. How are you?', signal: new AbortController().signal }, r.sink);
    expect(r.tokens.length).toBeGreaterThan(1);
    expect(new Set(r.tokens.map((t) => t.messageId)).size).toBe(1);
    expect(r.ends.at(-1)!.reason).toBe('stop');
    expect(r.issues).toEqual([]);
    // Acks arrive asynchronously: wait for the last one to be counted (or a timeout to be).
    const p = peer;
    await statsUntil(p.sim, (s) => s.socketAcks + s.socketAckTimeouts >= s.socketOutputs + s.socketFinalPings, 'every output and finalPing acked');
    expect(peer.sim.stats.socketAcks).toBe(peer.sim.stats.socketOutputs + peer.sim.stats.socketFinalPings);
    expect(peer.sim.stats.socketAckTimeouts).toBe(0);
  });

  it('proceeds after a bounded wait when the server never sends endpoint-ready (before 4.79), and says so', async () => {
    peer = await startPeer({ sendEndpointReady: false });
    const opts = { ...socketEndpointOptions(peer.socketEnv, { userId: 'user-1' }), readyTimeoutMs: 200 };
    const r = recordingSink();
    await runSocketEndpointTurn(opts, { requestId: 'r', sessionId: 's-2', input: 'hi', signal: new AbortController().signal }, r.sink);
    expect(r.issues[0]!.detail).toMatch(/no endpoint-ready within 200 ms; sending anyway/);
    expect(r.tokens.length).toBeGreaterThan(0);
  });

  it('a wrong URL token is refused with a typed error', async () => {
    peer = await startPeer();
    const opts = { ...socketEndpointOptions(peer.socketEnv, { userId: 'user-1' }), urlToken: 'wrong-token' };
    const r = recordingSink();
    const err = await failure(runSocketEndpointTurn(opts, { requestId: 'r', sessionId: 's-3', input: 'hi', signal: new AbortController().signal }, r.sink));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/check the URL token/);
  });

  it('splits the endpoint URL into server and token, refusing plain http to a remote host', () => {
    expect(endpointServerUrl('https://endpoint-trial.cognigy.ai/abc123', 'abc123')).toBe('https://endpoint-trial.cognigy.ai');
    expect(endpointServerUrl('http://127.0.0.1:9000/tok', 'tok')).toBe('http://127.0.0.1:9000');
    expect(() => endpointServerUrl('http://endpoint-trial.cognigy.ai/abc', 'abc')).toThrow(/only loopback hosts/);
  });
});

describe('context inject sender', () => {
  it('injects with X-API-Key and Idempotency-Key; a repeat applies once', async () => {
    peer = await startPeer();
    await seeEndpointSession(peer.sim, peer.creds.urlToken, 'sess-9', 'u');
    const send = createContextInjectSender('sim-sock', peer.secrets);
    const payload = { apiUrl: peer.sim.url, sessionId: 'sess-9', userId: 'u', context: { llm_response: 'hello' } };
    expect(await send(job(payload), { signal: new AbortController().signal, attempt: 1 })).toMatchObject({ ok: true });
    expect(await send(job(payload), { signal: new AbortController().signal, attempt: 2 })).toMatchObject({ ok: true });
    expect(peer.sim.contexts.get('sess-9')).toMatchObject({ llm_response: 'hello' });
    expect(peer.sim.stats.injectsApplied).toBe(1);
  });

  it('a wrong API key is final (not retried), and the key is not in the message', async () => {
    peer = await startPeer();
    const send = createContextInjectSender('sim-sock', createMemoryStore({ 'sim-sock': { 'api-key': 'wrong-key-123456' } }));
    const r = await send(job({ apiUrl: peer.sim.url, sessionId: 's', userId: 'u', context: { a: 1 } }), { signal: new AbortController().signal, attempt: 1 });
    expect(r).toMatchObject({ ok: false, cause: 'auth', retryable: false });
    expect(JSON.stringify(r)).not.toContain('wrong-key-123456');
  });

  it('checks the 60 kB body limit before sending', async () => {
    peer = await startPeer();
    expect(() => checkBodySize('x'.repeat(MAX_BODY_BYTES + 1))).toThrow(/over the management API's 60 kB limit/);
    const send = createContextInjectSender('sim-sock', peer.secrets);
    const r = await send(job({ apiUrl: peer.sim.url, sessionId: 's', userId: 'u', context: { llm_response: 'é'.repeat(40_000) } }), { signal: new AbortController().signal, attempt: 1 });
    expect(r).toMatchObject({ ok: false, cause: 'payload_too_large', retryable: false });
    expect(peer.sim.stats.injectRequests).toBe(0);
  });

  it('a missing API key names the command that sets it', async () => {
    peer = await startPeer();
    const send = createContextInjectSender('other', peer.secrets);
    const r = await send(job({ apiUrl: peer.sim.url, sessionId: 's', userId: 'u', context: {} }), { signal: new AbortController().signal, attempt: 1 });
    expect(r).toMatchObject({ ok: false, cause: 'auth', retryable: false });
    expect((r as { message: string }).message).toMatch(/env set-secret other api-key/);
  });
});
