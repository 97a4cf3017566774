// What the preload adds to window (Electron), and the test hook of browser mode (?debug=1 only).
import type { DebuggerApi } from '../../shared/ipc';

declare global {
  interface Window {
    debuggerApi?: DebuggerApi;
    __debuggerStore?: { getState(): unknown };
    /** Commits per named part of the window (views/Counted.tsx), in React's profiling build only. */
    __renderCounts?: Record<string, number>;
  }
}

export {};
