// Electron's binary cannot run here, so the main-process glue runs against a stand-in `electron` module that
// records what the glue asks of it; the app service behind it is the real one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const rec = vi.hoisted(() => ({
  windowOptions: undefined as undefined | Record<string, unknown>,
  handlers: new Map<string, (event: unknown, request: unknown) => Promise<unknown>>(),
  appListeners: new Map<string, (...a: unknown[]) => void>(),
  permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
  permissionCheck: undefined as undefined | (() => boolean),
  headers: undefined as undefined | ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
  opened: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: () => undefined };
    constructor(opts: Record<string, unknown>) {
      rec.windowOptions = opts;
    }
    once() {}
    show() {}
  }
  return {
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: (e: unknown, r: unknown) => Promise<unknown>) => rec.handlers.set(channel, fn),
      removeHandler: (channel: string) => rec.handlers.delete(channel),
    },
    app: { on: (name: string, fn: (...a: unknown[]) => void) => rec.appListeners.set(name, fn) },
    shell: { openExternal: async (url: string) => void rec.opened.push(url) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof rec.permissionRequest) => (rec.permissionRequest = fn),
        setPermissionCheckHandler: (fn: typeof rec.permissionCheck) => (rec.permissionCheck = fn),
        setDevicePermissionHandler: () => undefined,
        webRequest: { onHeadersReceived: (fn: typeof rec.headers) => (rec.headers = fn) },
      },
    },
  };
});

import { INVOKE_CHANNELS } from '../../shared/ipc';
import { createAppService } from '../../electron/core/app/app-service';
import { createDefaultDeps, type DefaultDeps } from '../../electron/core/app/default-deps';
import { createSenderPolicy } from '../../electron/core/app/sender-policy';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';
import { hardenApp, hardenSession } from '../../electron/main/harden';
import { registerIpc } from '../../electron/main/ipc';
import { ELECTRON_CSP } from '../../electron/main/security-policy';
import { createMainWindow } from '../../electron/main/window';

const PAGE = 'file:///opt/app/out/renderer/index.html';
let dir: string;
let deps: DefaultDeps;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'main-glue-'));
  deps = createDefaultDeps({ mode: 'electron', dataDir: dir, secrets: createMemoryStore(), demoSpeed: 0 });
});
afterAll(async () => {
  await deps.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('Electron main glue', () => {
  it('creates the window isolated, sandboxed, without Node, with web security and the preload', () => {
    createMainWindow({ preload: '/opt/app/out/preload/index.cjs', load: async () => undefined });
    expect(rec.windowOptions?.webPreferences).toMatchObject({
      preload: '/opt/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('denies navigation, new windows, webviews and every permission; adds the CSP header', () => {
    hardenApp(() => PAGE);
    const on = new Map<string, (e: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    rec.appListeners.get('web-contents-created')!({}, { on: (n: string, f: never) => on.set(n, f), setWindowOpenHandler: (f: typeof openHandler) => (openHandler = f) });
    const prevented = (event: string, url: string) => {
      let p = false;
      on.get(event)!({ preventDefault: () => (p = true) }, url);
      return p;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', PAGE)).toBe(false);
    expect(prevented('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-attach-webview', 'x')).toBe(true);
    expect(openHandler!({ url: 'https://docs.cognigy.com/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(rec.opened).toEqual(['https://docs.cognigy.com/']);

    hardenSession();
    let granted: boolean | undefined;
    rec.permissionRequest!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(rec.permissionCheck!()).toBe(false);
    let headers: Record<string, string[]> | undefined;
    rec.headers!({ responseHeaders: { 'content-type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [ELECTRON_CSP] });
  });

  it('registers every invoke channel; refuses other frames and sub-frames before parsing; answers our page', async () => {
    const service = createAppService(deps, { isTrustedSender: createSenderPolicy({ rendererFileUrl: PAGE }) });
    const ipc = registerIpc(service);
    expect([...rec.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const sent: Array<[string, unknown]> = [];
    const mainFrame = { url: PAGE };
    const sender = { id: 1, mainFrame, isDestroyed: () => false, send: (c: string, p: unknown) => sent.push([c, p]), once: () => undefined };
    const call = (frame: { url: string }, request: unknown, channel = 'renderer:env.list') => rec.handlers.get(channel)!({ sender, senderFrame: frame }, request);

    expect(await call({ url: 'https://evil.example/' }, {})).toMatchObject({ ok: false, error: { code: 'invalid-sender' } });
    expect(await call({ url: PAGE }, {})).toMatchObject({ ok: false, error: { code: 'invalid-sender' } }); // a sub-frame with our URL
    const list = (await call(mainFrame, {})) as { ok: boolean; response: { environments: unknown[] } };
    expect(list.ok).toBe(true);
    expect(list.response.environments.length).toBeGreaterThan(0);
    expect(await call(mainFrame, { name: '' }, 'renderer:env.delete')).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    // Every handler goes through the validating dispatcher: a foreign frame is refused on each channel, before
    // its (here deliberately malformed) payload is parsed.
    for (const channel of INVOKE_CHANNELS) {
      expect(await call({ url: 'https://evil.example/' }, 'not even an object', channel), channel).toEqual({ ok: false, error: { code: 'invalid-sender', message: "refused: the message did not come from the app's own page" } });
      expect(await call(mainFrame, 'not even an object', channel), channel).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    expect(sent).toEqual([]);
    await ipc.closeAll();
    expect(rec.handlers.size).toBe(0);
    await service.close();
  });
});
