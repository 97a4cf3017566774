// Electron transport of the IPC contract: one ipcMain.handle per invoke channel, a client of the app service
// per webContents, pushes through webContents.send. The app service's dispatcher refuses a message whose
// sender frame is not our renderer before parsing it; the frame must also be the window's main frame.
import { ipcMain, type WebContents } from 'electron';
import { INVOKE_CHANNELS, type IpcResult } from '../../shared/ipc';
import type { AppClient, AppService } from '../core/app/app-service';

export function registerIpc(service: AppService): { closeAll(): Promise<void> } {
  const clients = new Map<number, AppClient>();

  function clientFor(contents: WebContents): AppClient {
    let client = clients.get(contents.id);
    if (!client) {
      const c = service.connect({
        push(channel, payload) {
          if (!contents.isDestroyed()) contents.send(channel, payload);
        },
      });
      clients.set(contents.id, c);
      contents.once('destroyed', () => {
        clients.delete(contents.id);
        void c.close();
      });
      client = c;
    }
    return client;
  }

  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, request: unknown): Promise<IpcResult> => {
      const frame = event.senderFrame;
      // Sub-frames never get an answer (the app has none; a frame that appears is not ours).
      const senderUrl = frame && frame === event.sender.mainFrame ? frame.url : undefined;
      return clientFor(event.sender).dispatch(channel, request, senderUrl);
    });
  }

  return {
    async closeAll() {
      for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}
