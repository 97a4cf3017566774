// Browser mode's DebuggerApi: the IPC contract over one WebSocket to the `ui` command's bridge. Same schemas
// as the preload: requests are checked before sending, replies and pushes on arrival.
import {
  BRIDGE_PATH,
  BridgeServerMessage,
  describeZodError,
  invokeChannels,
  ipcErrorMessage,
  isInvokeChannel,
  isPushChannel,
  pushChannels,
  type DebuggerApi,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type IpcError,
  type PushChannel,
  type PushPayload,
} from '../../../shared/ipc';

export interface BridgeClient extends DebuggerApi {
  close(): void;
}

/**
 * open: connected. closed: the connection was lost after it had worked (the app stopped). refused: it never
 * opened — the server is there (it served this page) but turned this page's token away, which is what a tab
 * from an earlier run, or a hand-edited URL, gets. The browser hides the 401/403 of a refused upgrade, so
 * "never opened" is how the client tells it.
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

interface Pending {
  channel: InvokeChannel;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

const err = (e: IpcError) => new Error(ipcErrorMessage(e));

export function createBridgeClient(opts: BridgeClientOptions): BridgeClient {
  const WS = opts.WebSocketImpl ?? WebSocket;
  const ws = new WS(`${opts.origin}${BRIDGE_PATH}?token=${encodeURIComponent(opts.token)}`);
  const pending = new Map<number, Pending>();
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
    for (const p of pending.values()) p.reject(err({ code: 'failed', message: detail }));
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
      if (!isPushChannel(msg.channel)) return;
      const payload = pushChannels[msg.channel].safeParse(msg.payload);
      if (!payload.success) return console.error(`${msg.channel}: dropped a push that does not match the contract: ${describeZodError(payload.error)}`);
      for (const l of listeners.get(msg.channel) ?? []) l(payload.data);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if ('error' in msg) return p.reject(err(msg.error));
    const res = invokeChannels[p.channel].response.safeParse(msg.response);
    if (!res.success) return p.reject(err({ code: 'failed', message: `${p.channel}: reply does not match the contract (${describeZodError(res.error)})` }));
    p.resolve(res.data);
  });

  return {
    invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
      if (!isInvokeChannel(channel)) return Promise.reject(err({ code: 'invalid-request', message: `unknown channel ${String(channel)}` }));
      const req = invokeChannels[channel].request.safeParse(request);
      if (!req.success) return Promise.reject(err({ code: 'invalid-request', message: `${channel}: ${describeZodError(req.error)}` }));
      if (closed) return Promise.reject(err({ code: 'failed', message: opened ? 'not connected to the app (reload the page from the URL `npm start` printed)' : REFUSED_TOKEN_MESSAGE }));
      const id = nextId++;
      return new Promise<InvokeResponse<C>>((resolve, reject) => {
        pending.set(id, { channel, resolve: resolve as (v: unknown) => void, reject });
        const text = JSON.stringify({ id, channel, request: req.data });
        if (ws.readyState === WS.OPEN) ws.send(text);
        else queue.push(text);
      });
    },
    on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    close() {
      ws.close(1000, 'page closed');
    },
  };
}
