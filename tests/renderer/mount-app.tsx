// The whole App mounted in jsdom on the real app service (real-api.ts), booted as a window boots; and the
// waits every view test needs. jsdom has no layout: elements get a size so the virtualized lanes render rows.
import { act, cleanup, render, screen } from '@testing-library/react';
import { boot, createAppStore, StoreProvider, type AppStore } from '../../renderer/src/store/store';
import { App } from '../../renderer/src/views/App';
import { createRealApi, type RealApi } from './real-api';

export function stubLayout(): void {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 800 });
}

export async function mountApp(): Promise<{ api: RealApi; store: AppStore }> {
  const api = createRealApi();
  const store = createAppStore(api);
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  await act(() => boot(store));
  return { api, store };
}

export async function unmountApp(api: RealApi, store: AppStore): Promise<void> {
  cleanup();
  store.dispose();
  await api.close();
  localStorage.clear();
}

/** Exact event sequences, pushed into the real session as main's batcher would. */
export const emitInto = (api: RealApi, events: Parameters<RealApi['emit']>[0]) => act(async () => api.emit(events));

/** Waits (on pushes, not a timer) until `check` holds, letting React apply what arrived. */
export async function untilPushed<T>(api: RealApi, check: () => T | undefined | null | false, what: string): Promise<T> {
  let v: T | undefined | null | false;
  await act(async () => {
    v = await api.changes.until(check, what);
  });
  return v as T;
}

export const lane = (name: string) => screen.getByRole('region', { name });
