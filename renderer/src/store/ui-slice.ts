// ui.*: which view and details tab are shown, which turn and character range are inspected, the
// transport's state and the app info. Nothing here is a secret.
import { toIpcError, type DebuggerApi, type InvokeResponse, type UiCommand } from '../../../shared/ipc';
import type { TransportState } from '../transport/bridge-client';
import { patch, type SliceCreator } from './types';

/** The window's views, in toolbar order; each has its descriptor in views/registry.ts. */
export const VIEW_IDS = ['session', 'recordings', 'qa', 'environments', 'settings'] as const;
export type View = (typeof VIEW_IDS)[number];
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
    /** Counts requests to focus the message box (the composer focuses itself when it changes). */
    focusComposer: number;
    setView(v: View): void;
    setTab(t: DetailsTab): void;
    select(turnId: string | undefined, auto?: boolean): void;
    setSelection(s: RawSelection | undefined): void;
    setTransport(state: TransportState, detail?: string): void;
    loadInfo(): Promise<void>;
    /** Carries out a menu command from main (`main:ui.command`). */
    runCommand(command: UiCommand): void;
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
        focusComposer: 0,
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
        runCommand(command) {
          const s = get();
          switch (command) {
            case 'view.session':
              return s.ui.setView('session');
            case 'view.environments':
              return s.ui.setView('environments');
            case 'toggle.tokenBoundaries':
              return void s.settings.toggleTokenBoundaries();
            case 'turn.cancel':
              return void s.session.cancel();
            case 'focus.composer':
              return ui({ view: 'session', focusComposer: s.ui.focusComposer + 1 });
            default: {
              const unknown: never = command;
              throw new Error(`unhandled UI command ${String(unknown)}`);
            }
          }
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
