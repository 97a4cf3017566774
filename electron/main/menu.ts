// The application menu: view switching, token boundaries, cancel; standard edit roles so copy/paste work;
// developer tools only in development.
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { UiCommand } from '../../shared/ipc';

export function buildMenu(getWindow: () => BrowserWindow | undefined, opts: { dev: boolean; version: string; dataDir: string }): Menu {
  const send = (command: UiCommand) => () => {
    const w = getWindow();
    if (w && !w.isDestroyed()) w.webContents.send('main:ui.command', { command });
  };
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Session', accelerator: 'CmdOrCtrl+1', click: send('view.session') },
        { label: 'Environments…', accelerator: 'CmdOrCtrl+2', click: send('view.environments') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Token boundaries', accelerator: 'CmdOrCtrl+B', click: send('toggle.tokenBoundaries') },
        { label: 'Focus message', accelerator: 'CmdOrCtrl+L', click: send('focus.composer') },
        { label: 'Cancel turn', accelerator: 'Escape', click: send('turn.cancel'), registerAccelerator: false },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(opts.dev ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    {
      role: 'help',
      submenu: [{ label: `Cognigy stream debugger ${opts.version}`, enabled: false }, { label: `Data: ${opts.dataDir}`, enabled: false }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
