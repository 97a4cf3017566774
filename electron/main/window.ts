// The app window, hardened per Electron's security checklist. webPreferences stay an object literal right
// here so static checkers (electronegativity) see every flag: context isolation, sandbox, no Node anywhere
// in the renderer, web security on, no webviews, no auxclick, no dialogs.
import { BrowserWindow } from 'electron';

export function createMainWindow(opts: { preload: string; load(win: BrowserWindow): Promise<void> }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Cognigy stream debugger',
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableDialogs: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  void opts.load(win);
  return win;
}
