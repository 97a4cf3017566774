// The preload: exposes exactly one object, `window.debuggerApi`, implementing DebuggerApi from shared/ipc.ts
// (validated with the same zod schemas as main: requests before sending, responses and pushes on arrival).
// Must never expose ipcRenderer, Node, or any function beyond invoke/on.
import '../../shared/zod-jitless';
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
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
} from '../../shared/ipc';

/** Both transports reject with `[code] message` (toIpcError in shared/ipc.ts reads it back). */
function fail(code: IpcErrorCode, message: string): never {
  throw new Error(ipcErrorMessage({ code, message }));
}

const api: DebuggerApi = {
  async invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
    if (!isInvokeChannel(channel)) fail('invalid-request', `unknown channel ${String(channel)}`);
    const schema = invokeChannels[channel];
    const req = schema.request.safeParse(request);
    if (!req.success) fail('invalid-request', `${channel}: ${describeZodError(req.error)}`);
    const result = IpcResultSchema.safeParse(await ipcRenderer.invoke(channel, req.data));
    if (!result.success) return fail('failed', `${channel}: malformed reply`);
    if (!result.data.ok) fail(result.data.error.code, result.data.error.message);
    const res = schema.response.safeParse(result.data.response);
    if (!res.success) fail('failed', `${channel}: reply does not match the contract (${describeZodError(res.error)})`);
    return res.data as InvokeResponse<C>;
  },
  on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void {
    if (!isPushChannel(channel)) fail('invalid-request', `unknown push channel ${String(channel)}`);
    const schema = pushChannels[channel];
    const handler = (_event: IpcRendererEvent, payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data as PushPayload<C>);
      else console.error(`${channel}: dropped a push that does not match the contract: ${describeZodError(parsed.error)}`);
    };
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
};

contextBridge.exposeInMainWorld('debuggerApi', api);
