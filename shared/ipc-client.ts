// The client side of the IPC contract, written once (as VS Code's ChannelClient over IMessagePassingProtocol)
// and plugged onto a transport: Electron's ipcRenderer in the preload, the bridge's WebSocket in browser
// mode, an in-memory pair of real endpoints in tests. Everything a caller can rely on lives here: requests
// checked before they leave, replies and pushes checked on arrival, unknown channels refused, and every
// failure rejected the same way (`[code] message`, read back by toIpcError).
// Must never import anything but zod-based shared/ modules: it runs in the preload's sandbox and the page.
import {
  IpcResultSchema,
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
  type IpcErrorCode,
  type PushChannel,
  type PushPayload,
} from './ipc';
import { checkSessionEvents } from './session-events-check';

/**
 * Pushes whose check is not a plain zod parse: the event batches, checked first by a check compiled from their
 * schema (same outcome as the schema's parse, see session-events-check.ts). Every other channel: its schema.
 */
const PUSH_CHECKS: { [C in PushChannel]?: (payload: unknown) => { success: true; data: unknown } | { success: false; error: Parameters<typeof describeZodError>[0] } } = {
  'main:session.events': (payload) => checkSessionEvents(pushChannels['main:session.events'], payload),
};

/** The little a transport must do: carry one checked request to the app service, and hand over pushes. */
export interface IpcTransport {
  /**
   * Sends one request and resolves with the service's reply, an IpcResult (`{ ok, response }` or
   * `{ ok: false, error }`) not yet trusted. A transport that cannot deliver resolves with an error
   * result rather than rejecting, so its failures read like every other failure.
   */
  request(channel: InvokeChannel, request: unknown): Promise<unknown>;
  /** Starts delivering the raw payloads pushed on one channel; returns how to stop. */
  subscribe(channel: PushChannel, deliver: (payload: unknown) => void): () => void;
}

export interface IpcClientOptions {
  /** Told about a push dropped because it broke the contract (the listener never sees it). */
  onDroppedPush?: (line: string) => void;
}

function fail(code: IpcErrorCode, message: string): never {
  throw new Error(ipcErrorMessage({ code, message }));
}

export function createIpcClient(transport: IpcTransport, opts: IpcClientOptions = {}): DebuggerApi {
  const dropped = opts.onDroppedPush ?? ((line: string) => console.error(line));
  return {
    async invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
      if (!isInvokeChannel(channel)) fail('invalid-request', `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
      const schema = invokeChannels[channel];
      const req = schema.request.safeParse(request);
      // What the person typed, in the schema's words: never the channel (people do not think in channels).
      if (!req.success) fail('invalid-request', describeZodError(req.error));
      const result = IpcResultSchema.safeParse(await transport.request(channel, req.data));
      if (!result.success) fail('failed', `${channel}: malformed reply`);
      if (!result.data.ok) fail(result.data.error.code, result.data.error.message);
      const res = schema.response.safeParse(result.data.response);
      if (!res.success) fail('failed', `${channel}: reply does not match the contract (${describeZodError(res.error)})`);
      return res.data as InvokeResponse<C>;
    },
    on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void {
      if (!isPushChannel(channel)) fail('invalid-request', `unknown push channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
      const schema = pushChannels[channel];
      const check = PUSH_CHECKS[channel] ?? ((payload: unknown) => schema.safeParse(payload));
      return transport.subscribe(channel, (payload) => {
        const parsed = check(payload);
        if (parsed.success) listener(parsed.data as PushPayload<C>);
        else dropped(`${channel}: dropped a push that does not match the contract: ${describeZodError(parsed.error)}`);
      });
    },
  };
}
