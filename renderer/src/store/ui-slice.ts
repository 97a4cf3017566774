// ui.*: which view and details tab are shown, which turn and character range are inspected, the
// transport's state and the app info. Nothing here is a secret.
import { toIpcError, type DebuggerApi, type InvokeResponse } from '../../../shared/ipc';
import type { TransportState } from '../transport/bridge-client';
import { patch, type SliceCreator } from './types';

export type View = 'session' | 'recordings' | 'environments' | 'settings';
export type DetailsTab = 'inspector' | 'timing' | 'usage' | 'sync' | 'issues';

export interface RawSelection {
  turnId: string;
  start: number;
  end: number;
}

export interface UiSlice {
  ui: {
    view: View;
    detailsTab: DetailsTab;
    selectedTurnId?: string;
    /** Follow the newest turn (until the user picks an older one). */
    follow: boolean;
    selection?: RawSelection;
    appInfo?: InvokeResponse<'renderer:app.info'>;
    transport: { state: TransportState; detail?: string };
    error?: string;
    setView(v: View): void;
    setTab(t: DetailsTab): void;
    select(turnId: string | undefined, auto?: boolean): void;
    setSelection(s: RawSelection | undefined): void;
    setTransport(state: TransportState, detail?: string): void;
    loadInfo(): Promise<void>;
  };
}

export const createUiSlice =
  (api: DebuggerApi): SliceCreator<UiSlice> =>
  (set, get) => {
    const ui = (value: Partial<UiSlice['ui']>) => set(patch('ui', value));
    return {
      ui: {
        view: 'session',
        detailsTab: 'inspector',
        follow: true,
        transport: { state: 'open' },
        setView(view) {
          ui({ view });
        },
        setTab(detailsTab) {
          ui({ detailsTab });
        },
        select(turnId, auto = false) {
          const order = get().session.turns.order;
          const follow = auto || turnId === undefined || turnId === order[order.length - 1];
          const selection = get().ui.selection?.turnId === turnId ? get().ui.selection : undefined;
          ui({ selectedTurnId: turnId, follow, selection });
        },
        setSelection(selection) {
          ui({ selection, ...(selection ? { selectedTurnId: selection.turnId } : {}) });
        },
        setTransport(state, detail) {
          ui({ transport: { state, detail } });
        },
        async loadInfo() {
          try {
            ui({ appInfo: await api.invoke('renderer:app.info', {}) });
          } catch (err) {
            ui({ error: toIpcError(err).message });
          }
        },
      },
    };
  };
