// Browser mode: serves the built renderer and carries the IPC contract over one WebSocket, so the same
// renderer runs in a plain browser against the same app service as Electron. Binds 127.0.0.1 only.
// A random token per run guards the socket (missing → 401, wrong → 403 on the upgrade) and the Host header
// must be this server's own (no DNS rebinding). The page's Origin is the sender of every message on its
// socket: the app service's sender policy judges it per message, as Electron's sender frame, and a socket
// whose sender is refused is closed. Never logs payloads.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, BridgeRequest, type BridgeServerMessage } from '../../../shared/ipc';
import type { AppDeps } from '../app/app-deps';
import { createAppService, type AppService } from '../app/app-service';
import { buildCsp, withCspMeta } from '../app/csp';
import { createSenderPolicy, type SenderPolicy } from '../app/sender-policy';
import { crossSiteRefusal, headerLookup } from '../relay/origins';
import { readStatic } from './static-files';

export interface BridgeServerOptions {
  /** The app service is built over these; its only trusted sender is this server's origin. */
  deps: AppDeps;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 or absent = a free port. */
  port?: number;
  /** Fixed token (tests); otherwise 32 random bytes. */
  token?: string;
  onLog?: (line: string) => void;
  /** Told about every push sent to a client (benchmarks count batches); never given the payload. */
  onPush?: (channel: string) => void;
}

export interface BridgeServer {
  readonly port: number;
  readonly origin: string;
  readonly token: string;
  /** http://127.0.0.1:PORT/?token=... */
  readonly url: string;
  readonly service: AppService;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Bigger than any request of the contract (an environment, a message); a batch only flows the other way. */
const MAX_MESSAGE_BYTES = 1 << 20;

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  const body = `${reason}\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socket.destroy();
}

export async function createBridgeServer(opts: BridgeServerOptions): Promise<BridgeServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const log = opts.onLog ?? (() => {});
  let port = 0;
  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);
  const headerCsp = () => buildCsp({ connect: [`ws://${HOST}:${port}`, `ws://localhost:${port}`], header: true });
  const metaCsp = () => buildCsp({ connect: [`ws://${HOST}:${port}`, `ws://localhost:${port}`] });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('wrong Host header\n');
      return;
    }
    // The UI may be opened from anywhere (a link, the address bar), but another site may not load its
    // files into its own page (<script>, <img>, fetch): the same Fetch Metadata rule as the relay's.
    const crossSite = crossSiteRefusal(headerLookup(req.headers), ['navigate']);
    if (crossSite) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`refused: ${crossSite}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    const file = await readStatic(opts.staticDir, path);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    let body = file.body;
    const isHtml = file.type.startsWith('text/html');
    if (isHtml) body = Buffer.from(withCspMeta(body.toString('utf8'), metaCsp()));
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': body.length,
      'Content-Security-Policy': headerCsp(),
      'Cache-Control': isHtml ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err) => {
      log(`bridge: request failed: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  // The only trusted origin is this server's own, known once it listens; until then nothing is trusted.
  let senderPolicy: SenderPolicy = () => false;
  const service: AppService = createAppService(opts.deps, {
    isTrustedSender: (url) => senderPolicy(url),
    onError: (channel, message) => log(`${channel}: ${message}`),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname !== BRIDGE_PATH) return refuseUpgrade(socket, 404, 'no such endpoint');
    const given = url.searchParams.get('token');
    if (!given) return refuseUpgrade(socket, 401, 'missing token: open the URL printed by "ui ready at ..."');
    if (!sameToken(given, token)) return refuseUpgrade(socket, 403, 'wrong token');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuseUpgrade(socket, 403, 'wrong Host header');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req.headers.origin));
  });

  function onConnection(ws: WebSocket, origin: string | undefined): void {
    const send = (msg: BridgeServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const client = service.connect({
      push(channel, payload) {
        send({ channel, payload });
        opts.onPush?.(channel);
      },
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      let msg: BridgeRequest;
      try {
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
        const parsed = BridgeRequest.safeParse(JSON.parse(text));
        if (!parsed.success) return ws.close(1008, 'not a bridge request');
        msg = parsed.data;
      } catch {
        return ws.close(1007, 'not JSON');
      }
      // The Origin as the browser sent it, unchecked so far: the service refuses it before parsing if it is not ours.
      void client.dispatch(msg.channel, msg.request, origin).then((result) => {
        send(result.ok ? { id: msg.id, response: result.response } : { id: msg.id, error: result.error });
        if (!result.ok && result.error.code === 'invalid-sender') ws.close(1008, 'wrong Origin: only the page served here may talk to the bridge');
      });
    });
    ws.on('close', () => {
      void client.close();
    });
    ws.on('error', () => {});
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  senderPolicy = createSenderPolicy({ origins: [...allowedOrigins()] });
  const origin = `http://${HOST}:${port}`;

  return {
    port,
    origin,
    token,
    url: `${origin}/?token=${token}`,
    service,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await service.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
