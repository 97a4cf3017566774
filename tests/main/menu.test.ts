// The menu → UI command path: Electron's menu (a stand-in `electron` that hands back the template) sends
// `main:ui.command` to the window, the preload's client delivers it, the store carries it out against the
// real app service (token boundaries are a setting the service stores).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UI_COMMANDS, type UiCommand } from '../../shared/ipc';
import { createAppService, type AppService } from '../../electron/core/app/app-service';
import { createDefaultDeps, type DefaultDeps } from '../../electron/core/app/default-deps';
import { createSenderPolicy } from '../../electron/core/app/sender-policy';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';
import { buildMenu } from '../../electron/main/menu';
import { createPreloadApi, type PreloadIpc } from '../../electron/preload/preload-api';
import { boot, createAppStore, type AppStore } from '../../renderer/src/store/store';
import { createChanges } from '../helpers/until';

vi.mock('electron', () => ({ Menu: { buildFromTemplate: (template: unknown) => template } }));

interface Item {
  label?: string;
  role?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: Item[];
}

const PAGE = 'file:///opt/app/out/renderer/index.html';
let dir: string;
let deps: DefaultDeps;
let service: AppService;
let store: AppStore;
const sent: Array<[string, unknown]> = [];
const changes = createChanges();
let windowGone = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'menu-'));
  deps = createDefaultDeps({ mode: 'electron', dataDir: dir, secrets: createMemoryStore(), demoSpeed: 0 });
  service = createAppService(deps, { isTrustedSender: createSenderPolicy({ rendererFileUrl: PAGE }) });
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const client = service.connect({ push: (channel, payload) => listeners.get(channel)?.forEach((l) => l({}, structuredClone(payload))) });
  const ipc: PreloadIpc = {
    invoke: async (channel, request) => client.dispatch(channel, structuredClone(request), PAGE),
    on: (channel, l) => (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(l),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  };
  store = createAppStore(createPreloadApi(ipc));
  store.subscribe(() => changes.notify());
  await boot(store);
  // What main's window is to the menu: webContents.send is Electron's push to that window's preload.
  const win = {
    isDestroyed: () => windowGone,
    webContents: {
      send(channel: string, payload: unknown) {
        sent.push([channel, payload]);
        listeners.get(channel)?.forEach((l) => l({}, structuredClone(payload)));
      },
    },
  };
  menu = buildMenu(() => win as never, { dev: false, version: '1.2.3', dataDir: dir }) as unknown as Item[];
});
afterAll(async () => {
  store.dispose();
  await service.close();
  await deps.dispose();
  rmSync(dir, { recursive: true, force: true });
});

let menu: Item[];
const items = (list: Item[]): Item[] => list.flatMap((i) => [i, ...items(i.submenu ?? [])]);
const click = (label: string) => {
  const item = items(menu).find((i) => i.label === label);
  if (!item?.click) throw new Error(`no menu item "${label}"`);
  item.click();
};

describe('menu → UI command', () => {
  it('offers every UI command once, each with its shortcut', () => {
    sent.length = 0;
    for (const i of items(menu)) i.click?.();
    expect(sent.map(([channel]) => channel)).toEqual(UI_COMMANDS.map(() => 'main:ui.command'));
    expect(sent.map(([, p]) => (p as { command: UiCommand }).command).sort()).toEqual([...UI_COMMANDS].sort());
    expect(items(menu).filter((i) => i.click).map((i) => i.accelerator)).toEqual(['CmdOrCtrl+1', 'CmdOrCtrl+2', 'CmdOrCtrl+B', 'CmdOrCtrl+L', 'Escape']);
    expect(items(menu).some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  it('switches views, focuses the composer, toggles token boundaries through the service, cancels the turn', async () => {
    click('Environments…');
    expect(store.getState().ui.view).toBe('environments');
    click('Session');
    expect(store.getState().ui.view).toBe('session');
    click('Environments…');
    const focus = store.getState().ui.focusComposer;
    click('Focus message');
    expect(store.getState().ui).toMatchObject({ view: 'session', focusComposer: focus + 1 });

    const before = store.getState().settings.values.showTokenBoundaries;
    click('Token boundaries');
    await changes.until(() => store.getState().settings.values.showTokenBoundaries === !before, 'the setting to flip');
    const stored = await service.connect({ push: () => undefined }).dispatch('renderer:settings.get', {}, PAGE);
    expect(stored).toMatchObject({ ok: true, response: { showTokenBoundaries: !before } });

    store.getState().session.setScenario('stall');
    expect(await store.getState().session.send('wait for me')).toBe(true);
    const turnId = await changes.until(() => store.getState().session.activeTurnId, 'the turn to start');
    click('Cancel turn');
    await changes.until(() => store.getState().session.turns.byId[turnId]?.end, 'the turn to end');
    expect(store.getState().session.turns.byId[turnId]?.end).toMatchObject({ status: 'cancelled' });
  });

  it('sends nothing to a window that is gone', () => {
    sent.length = 0;
    windowGone = true;
    click('Session');
    expect(sent).toEqual([]);
    windowGone = false;
  });
});
