// Browser mode's DebuggerApi: the shared IPC client (shared/ipc-client.ts) over one WebSocket to the `ui`
// command's bridge. This file is only the transport: the connection, its state, and matching replies to
// requests by id; what is checked and how failures read is the shared client's, the same as in Electron.
import { BRIDGE_PATH, BridgeServerMessage, describeZodError, type DebuggerApi, type InvokeChannel, type IpcResult, type PushChannel } from '../../../shared/ipc';
import { createIpcClient, type IpcTransport } from '../../../shared/ipc-client';

export interface BridgeClient extends DebuggerApi {
  close(): void;
}

/**
 * open: connected. closed: the connection was lost after it had worked (the app stopped). refused: it never
 * opened — the server is there (it served this page) but turned this page's token away, which is what a tab
 * from an earlier run, or a hand-edited URL, gets. The browser hides the 401/403 of a refused upgrade, so
 * "never opened" is how the transport tells it.
 */
export type TransportState = 'open' | 'closed' | 'refused';

/** What a refused page is told, once: the only thing that helps is the URL of the running app. */
export const REFUSED_TOKEN_MESSAGE = "this page's access token is not valid for the running app — open the URL printed by `npm start`";

export interface BridgeClientOptions {
  /** ws://127.0.0.1:PORT */
  origin: string;
  token: string;
  onState?: (state: TransportState, detail?: string) => void;
  WebSocketImpl?: typeof WebSocket;
}

const failure = (message: string): IpcResult => ({ ok: false, error: { code: 'failed', message } });

export function createBridgeTransport(opts: BridgeClientOptions): IpcTransport & { close(): void } {
  const WS = opts.WebSocketImpl ?? WebSocket;
  const ws = new WS(`${opts.origin}${BRIDGE_PATH}?token=${encodeURIComponent(opts.token)}`);
  const pending = new Map<number, (reply: IpcResult) => void>();
  const listeners = new Map<PushChannel, Set<(p: unknown) => void>>();
  const queue: string[] = [];
  let nextId = 1;
  let closed = false;
  let opened = false;

  ws.addEventListener('open', () => {
    opened = true;
    for (const m of queue.splice(0)) ws.send(m);
    opts.onState?.('open');
  });
  ws.addEventListener('close', (ev) => {
    closed = true;
    const state: TransportState = opened ? 'closed' : 'refused';
    const detail = !opened
      ? REFUSED_TOKEN_MESSAGE
      : ev.code === 1006
        ? 'the connection to the app was lost (is `npm start` still running?)'
        : `the app closed the connection (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`;
    for (const settle of pending.values()) settle(failure(detail));
    pending.clear();
    opts.onState?.(state, detail);
  });
  ws.addEventListener('message', (ev) => {
    let msg: BridgeServerMessage;
    try {
      const parsed = BridgeServerMessage.safeParse(JSON.parse(String(ev.data)));
      if (!parsed.success) return console.error(`bridge: dropped a malformed message: ${describeZodError(parsed.error)}`);
      msg = parsed.data;
    } catch {
      return console.error('bridge: dropped a message that is not JSON');
    }
    if ('channel' in msg) {
      // Raw payloads: the client checks each against its channel's schema (and subscribes to known ones only).
      for (const l of listeners.get(msg.channel as PushChannel) ?? []) l(msg.payload);
      return;
    }
    const settle = pending.get(msg.id);
    if (!settle) return;
    pending.delete(msg.id);
    settle('error' in msg ? { ok: false, error: msg.error } : { ok: true, response: msg.response });
  });

  return {
    request(channel: InvokeChannel, request: unknown): Promise<unknown> {
      if (closed) return Promise.resolve(failure(opened ? 'not connected to the app (reload the page from the URL `npm start` printed)' : REFUSED_TOKEN_MESSAGE));
      const id = nextId++;
      return new Promise<IpcResult>((resolve) => {
        pending.set(id, resolve);
        const text = JSON.stringify({ id, channel, request });
        if (ws.readyState === WS.OPEN) ws.send(text);
        else queue.push(text);
      });
    },
    subscribe(channel, deliver) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(deliver);
      return () => set.delete(deliver);
    },
    close() {
      ws.close(1000, 'page closed');
    },
  };
}

export function createBridgeClient(opts: BridgeClientOptions): BridgeClient {
  const transport = createBridgeTransport(opts);
  return { ...createIpcClient(transport), close: () => transport.close() };
}
