// The one store: every slice combined in one place, wired to the API's pushes. Components read it through
// narrow selectors (useStore(s => s.session.activeTurnId)) so a token batch does not re-render the editor.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { createStore, useStore as useZustand, type StoreApi } from 'zustand';
import type { DebuggerApi } from '../../../shared/ipc';
import { createEnvironmentsSlice } from './environments-slice';
import { createQaSlice } from './qa-slice';
import { createRecordingsSlice } from './recordings-slice';
import { createRelaySlice } from './relay-slice';
import { createSessionSlice, type SessionSliceOptions } from './session-slice';
import { createSettingsSlice } from './settings-slice';
import { createSyncSlice } from './sync-slice';
import { createTapSlice } from './tap-slice';
import type { AllSlices } from './types';
import { createUiSlice } from './ui-slice';

export type AppStore = StoreApi<AllSlices> & { dispose(): void };

export interface AppStoreOptions {
  /** When event batches are applied (the app passes frame.ts's nextFrame; absent: as each arrives). */
  frame?: SessionSliceOptions['frame'];
  /** The clock and budget of a frame's batch application (tests; the app uses the defaults). */
  now?: SessionSliceOptions['now'];
  budgetMs?: SessionSliceOptions['budgetMs'];
}

export function createAppStore(api: DebuggerApi, opts: AppStoreOptions = {}): AppStore {
  const store = createStore<AllSlices>()((...a) => ({
    ...createEnvironmentsSlice(api)(...a),
    ...createQaSlice(api)(...a),
    ...createRecordingsSlice(api)(...a),
    ...createRelaySlice(api)(...a),
    ...createSessionSlice(api, { frame: opts.frame, now: opts.now, budgetMs: opts.budgetMs })(...a),
    ...createSettingsSlice(api)(...a),
    ...createSyncSlice(api)(...a),
    ...createTapSlice(api)(...a),
    ...createUiSlice(api)(...a),
  }));
  const offs = [
    api.on('main:session.events', (p) => store.getState().session.applyBatch(p)),
    api.on('main:sync.outbox', (p) => store.getState().sync.setPending(p)),
    api.on('main:tap.status', (p) => store.getState().tap.setStatus(p)),
    api.on('main:qa.job', (p) => store.getState().qa.onJob(p)),
    api.on('main:qa.compare', (p) => store.getState().qa.onCompare(p)),
    // Menu commands (Electron's application menu): the same injected API as everything else.
    api.on('main:ui.command', (p) => store.getState().ui.runCommand(p.command)),
  ];
  return Object.assign(store, {
    dispose() {
      for (const off of offs) off();
    },
  });
}

/** Loads what the first screen needs and opens the session (the demo on first launch). */
export async function boot(store: AppStore): Promise<void> {
  const s = store.getState();
  // qa.load: a replay or compare still running main-side (this page was reloaded) is picked up again.
  await Promise.all([s.ui.loadInfo(), s.settings.load(), s.environments.load(), s.relay.load(), s.tap.load(), s.qa.load()]);
  await store.getState().session.open(store.getState().environments.selected);
}

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore outside <StoreProvider>');
  return store;
}

export function useStore<T>(selector: (s: AllSlices) => T): T {
  return useZustand(useAppStore(), selector);
}
