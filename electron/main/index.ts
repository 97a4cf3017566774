// Electron main: thin glue over the Electron-free app service (electron/core/app). It hardens the app, makes
// the data dir the CLI's (configDir), registers the IPC transport and opens one window. Everything the UI
// can do is implemented in core; nothing here talks to an upstream or touches a secret itself.
import { app, BrowserWindow, Menu } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAppService } from '../core/app/app-service';
import { createDefaultDeps } from '../core/app/default-deps';
import { createSenderPolicy } from '../core/app/sender-policy';
import { configDir } from '../core/environments/config-dir';
import { hardenApp, hardenSession } from './harden';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererFile = join(here, '../renderer/index.html');
const rendererFileUrl = pathToFileURL(rendererFile).href;
const rendererUrl = () => devServerUrl ?? rendererFileUrl;

// The same per-user directory as the CLI: environments, settings and the sync outbox are shared.
const dataDir = configDir();
app.setPath('userData', dataDir);
app.enableSandbox();
hardenApp(rendererUrl);

let mainWindow: BrowserWindow | undefined;

function createWindow(): BrowserWindow {
  return createMainWindow({
    preload: join(here, '../preload/index.cjs'),
    load: (win) => (devServerUrl ? win.loadURL(devServerUrl) : win.loadFile(rendererFile)),
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  void app.whenReady().then(() => {
    hardenSession();
    const deps = createDefaultDeps({ mode: 'electron', dataDir });
    const service = createAppService(deps, {
      isTrustedSender: createSenderPolicy({ rendererFileUrl, devServerUrl }),
      onError: (channel, message) => console.error(`${channel}: ${message}`),
    });
    const ipc = registerIpc(service);
    Menu.setApplicationMenu(buildMenu(() => mainWindow, { dev: Boolean(devServerUrl), version: deps.version, dataDir }));
    mainWindow = createWindow();
    mainWindow.on('closed', () => (mainWindow = undefined));

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
    let quitting = false;
    app.on('before-quit', (event) => {
      if (quitting) return;
      quitting = true;
      event.preventDefault();
      void Promise.allSettled([ipc.closeAll(), service.close(), deps.dispose()]).then(() => app.quit());
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
