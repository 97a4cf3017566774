// What the preload exposes, built over the few ipcRenderer methods it needs (passed in, so a test can run it
// against a recording stand-in): the shared client over Electron's invoke and per-channel listeners.
import type { DebuggerApi } from '../../shared/ipc';
import { createIpcClient, type IpcTransport } from '../../shared/ipc-client';

/** The part of Electron's ipcRenderer used here, declared rather than imported (as VS Code's `Sender`). */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function electronTransport(ipc: PreloadIpc): IpcTransport {
  return {
    // Main's handlers answer every message with an IpcResult; a rejection means no handler answered at all.
    request: (channel, request) =>
      ipc.invoke(channel, request).catch((err: unknown) => ({
        ok: false,
        error: { code: 'failed', message: `${channel}: main did not answer (${err instanceof Error ? err.message : String(err)})` },
      })),
    subscribe(channel, deliver) {
      // The renderer never sees the IpcRendererEvent (it carries `sender`, i.e. ipcRenderer itself).
      const handler = (_event: unknown, payload: unknown) => deliver(payload);
      ipc.on(channel, handler);
      return () => {
        ipc.removeListener(channel, handler);
      };
    },
  };
}

/** The one object the preload exposes: `{ invoke, on }`, nothing else. */
export function createPreloadApi(ipc: PreloadIpc): DebuggerApi {
  return createIpcClient(electronTransport(ipc));
}
