// One turn over the gateway's WebSocket stream: Bearer handshake, the request frame, frames parsed by the
// frame parser, a liveness timer (no frame or ping for idleTimeoutMs = timeout), close codes mapped to
// typed causes, cancellation by AbortSignal. The socket lives until the turn is over — never closed early.
import WebSocket from 'ws';
import type { TokenUsage } from '../../../../shared/events';
import { parseRetryAfter } from '../../net/retry-after';
import { createTurnWatch } from '../turn-watch';
import { DEFAULT_IDLE_TIMEOUT_MS, type TurnRequest, type UpstreamSink } from '../upstream';
import { UpstreamError, causeOfErrorCode, causeOfStatus } from '../upstream-error';
import { createFrameParser } from './frame-parser';
import type { AccessToken, OAuthClient } from './oauth-client';

export interface GatewayStreamOptions {
  /** `wss://host/api/v2/llm/stream` or `ws://127.0.0.1:port/...` */
  url: string;
  oauth: OAuthClient;
  dialogId: string;
}

const CLOSE_CAUSES: Record<number, { cause: UpstreamError['kind']; text: string }> = {
  1006: { cause: 'network', text: 'connection lost (1006, no close frame)' },
  1008: { cause: 'policy', text: 'closed by policy (1008): the access token was revoked or is not allowed' },
  1011: { cause: 'server_error', text: 'server error (1011)' },
  1013: { cause: 'try_again_later', text: 'server asks to try again later (1013)' },
};

/** Opens the socket; a 401 on the handshake invalidates the token and retries once. */
async function connect(opts: GatewayStreamOptions, signal: AbortSignal): Promise<WebSocket> {
  for (let attempt = 0; ; attempt++) {
    const token = await opts.oauth.getToken(signal);
    try {
      return await openSocket(opts.url, token, signal);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 401 && attempt === 0) {
        opts.oauth.invalidate(token.value);
        continue;
      }
      throw err;
    }
  }
}

function openSocket(url: string, token: AccessToken, signal: AbortSignal): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${token.value}`, accept: 'application/json' },
      handshakeTimeout: 10_000,
      perMessageDeflate: false,
    });
    const onAbort = () => {
      ws.terminate();
      reject(new UpstreamError('cancelled', 'cancelled while connecting'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    ws.once('unexpected-response', (_req, res) => {
      signal.removeEventListener('abort', onAbort);
      const status = res.statusCode ?? 0;
      const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      res.resume();
      ws.terminate();
      const what = status === 401 ? 'the access token was rejected' : status === 429 ? 'rate limited' : `HTTP ${status}`;
      reject(new UpstreamError(causeOfStatus(status), `stream handshake refused (${status}): ${what}`, { status, retryAfterMs }));
    });
    ws.once('open', () => {
      signal.removeEventListener('abort', onAbort);
      ws.removeAllListeners('error');
      resolve(ws);
    });
    ws.once('error', (err: Error & { code?: string }) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return;
      const timeout = /handshake/i.test(err.message) && /timed out/i.test(err.message);
      reject(new UpstreamError(timeout ? 'timeout' : 'network', `stream connection failed${err.code ? ` (${err.code})` : ''}: ${err.message}`));
    });
  });
}

export async function runGatewayStream(opts: GatewayStreamOptions, req: TurnRequest, sink: UpstreamSink): Promise<void> {
  if (req.signal.aborted) throw new UpstreamError('cancelled', 'cancelled before the stream started');
  const ws = await connect(opts, req.signal);
  const idleMs = req.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;

  const watch = createTurnWatch({
    signal: req.signal,
    idleMs,
    silence: 'no frame or ping from the gateway',
    onStop: (why) => (why === 'timeout' ? ws.terminate() : ws.close(1000, 'cancelled by the user')),
  });
  const { arm, finish } = watch;
  const parser = createFrameParser({
    onToken: (t) => sink.token({ text: t.text, bytes: t.bytes, origin: { frame: t.frame, seq: t.seq, kind: t.kind } }),
    onDone: (usage: TokenUsage | undefined) => {
      sink.messageEnd(undefined, 'done');
      if (usage) sink.usage(usage);
    },
    onError: (e) => {
      // An error frame ends the answer: report it now rather than waiting for the server's close.
      const cause = causeOfErrorCode(e.code);
      ws.close(1000, 'error received');
      finish(new UpstreamError(cause, `gateway error${e.code ? ` (${e.code})` : ''}: ${e.message}`, { retryAfterMs: e.retryAfterMs }));
    },
    onIssue: (i) => sink.issue(i.kind, i.detail, { seq: i.seq, expectedSeq: i.expectedSeq }),
  });

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (watch.settled) return; // frames in flight after cancel/timeout/error
    arm();
    try {
      parser.feed(isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data.toString('utf8'), isBinary);
    } catch (err) {
      // A bug downstream must end this turn with a typed error, never take the process down from a socket listener.
      ws.terminate();
      finish(new UpstreamError('internal', `processing a frame failed: ${(err as Error)?.message ?? String(err)}`));
      return;
    }
    if (parser.done) {
      // The answer is complete; close politely without waiting for the server.
      ws.close(1000, 'done');
      finish();
    }
  });
  ws.on('ping', arm);
  ws.on('pong', arm);
  ws.on('error', () => {
    /* the close event that follows carries the typed cause */
  });
  ws.on('close', (code: number, reasonBuf: Buffer) => {
    if (watch.settled) return;
    const reason = reasonBuf.toString('utf8');
    const mapped = CLOSE_CAUSES[code];
    if (mapped) {
      finish(new UpstreamError(mapped.cause, `stream ${mapped.text}${reason ? `: ${reason}` : ''}`, { closeCode: code }));
    } else {
      finish(new UpstreamError(code === 1000 ? 'protocol' : 'internal', `stream closed (${code}${reason ? ` ${reason}` : ''}) before the answer was done`, { closeCode: code }));
    }
  });

  arm();
  ws.send(
    JSON.stringify({
      type: 'request',
      request_id: req.requestId,
      session_id: req.sessionId,
      dialog_id: opts.dialogId,
      input: req.input,
      ...(req.scenario ? { scenario: req.scenario } : {}),
      ...(req.repeat ? { repeat: req.repeat } : {}),
    }),
  );
  return watch.promise;
}
