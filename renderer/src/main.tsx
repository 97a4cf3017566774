// Renderer entry: picks the transport (Electron preload or browser bridge), builds the store, boots the
// first screen (the demo on first launch) and renders. In browser mode with ?debug=1 the store's state is
// readable at window.__debuggerStore for end-to-end tests (it holds no secret: none ever reaches it).
import '../../shared/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { nextFrame } from './store/frame';
import { boot, createAppStore, StoreProvider } from './store/store';
import type { TransportState } from './transport/bridge-client';
import { detectTransport } from './transport/detect';
import { App } from './views/App';
import { paceLanes } from './views/session/lane-pace';
// One stylesheet per area, in cascade order (theme variables first; later areas may refine earlier ones).
import './styles/theme.css';
import './styles/frame.css';
import './styles/controls.css';
import './styles/session.css';
import './styles/details.css';
import './styles/environments.css';
import './styles/settings.css';
import './styles/toggles.css';
import './styles/recordings.css';
import './styles/tap.css';
import './styles/lane-marks.css';
import './styles/qa.css';

const root = createRoot(document.getElementById('root')!);
let onState: ((state: TransportState, detail?: string) => void) | undefined;
const transport = detectTransport(window, (state, detail) => onState?.(state, detail));

if (!transport.ok) {
  root.render(
    <main className="fatal" role="alert">
      <h1>Cannot connect</h1>
      <p>{transport.error}</p>
    </main>,
  );
} else {
  const store = createAppStore(transport.api, { frame: nextFrame });
  paceLanes({ now: () => performance.now(), later: (wake, delayMs) => setTimeout(wake, delayMs) });
  onState = (state, detail) => store.getState().ui.setTransport(state, detail);
  if (transport.mode === 'browser' && transport.debug) window.__debuggerStore = { getState: () => store.getState() };
  root.render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
  void boot(store);
}
