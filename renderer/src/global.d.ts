// What the preload adds to window (Electron), and the test hook of browser mode (?debug=1 only).
import type { DebuggerApi } from '../../shared/ipc';

declare global {
  interface Window {
    debuggerApi?: DebuggerApi;
    __debuggerStore?: { getState(): unknown };
  }
}

export {};
