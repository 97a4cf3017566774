// Picks the transport: the preload's `window.debuggerApi` in Electron, else the browser bridge with the
// token from the page URL (then removed from the address bar so it does not end up in history or
// screenshots; kept in sessionStorage so a reload of this tab still works).
import type { DebuggerApi } from '../../../shared/ipc';
import { createBridgeClient, type TransportState } from './bridge-client';

export type Transport =
  | { ok: true; mode: 'electron' | 'browser'; api: DebuggerApi; debug: boolean }
  | { ok: false; error: string };

const TOKEN_KEY = 'stream-debugger.bridge-token';

export function detectTransport(win: Window, onState?: (state: TransportState, detail?: string) => void): Transport {
  if (win.debuggerApi) return { ok: true, mode: 'electron', api: win.debuggerApi, debug: false };
  const url = new URL(win.location.href);
  const debug = url.searchParams.get('debug') === '1';
  let token = url.searchParams.get('token') ?? undefined;
  if (token) {
    try {
      win.sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Without storage a reload needs the printed URL again.
    }
    url.searchParams.delete('token');
    win.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  } else {
    try {
      token = win.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
    } catch {
      token = undefined;
    }
  }
  if (!token) {
    return { ok: false, error: 'No bridge token: open the exact URL printed by `npm run cli -- ui` (it ends with ?token=…).' };
  }
  const origin = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return { ok: true, mode: 'browser', api: createBridgeClient({ origin, token, onState }), debug };
}
