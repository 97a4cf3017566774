// The window: a toolbar (views, environment picker, session state, record and relay toggles, token boundaries)
// over the current view.
import { useAppStore, useStore } from '../store/store';
import type { View } from '../store/ui-slice';
import { EnvironmentsView } from './environments/EnvironmentsView';
import { RecordingsView } from './recordings/RecordingsView';
import { RecordToggle } from './session/RecordToggle';
import { RelayToggle } from './session/RelayToggle';
import { SessionView } from './session/SessionView';
import { TapBar, TapToggle } from './session/TapBar';
import { SettingsView } from './SettingsView';

const VIEWS: Array<{ id: View; label: string }> = [
  { id: 'session', label: 'Session' },
  { id: 'recordings', label: 'Recordings' },
  { id: 'environments', label: 'Environments' },
  { id: 'settings', label: 'Settings' },
];

function EnvironmentPicker() {
  const store = useAppStore();
  const entries = useStore((s) => s.environments.entries);
  const selected = useStore((s) => s.environments.selected);
  return (
    <label className="field inline env-picker">
      <span>Environment</span>
      <select value={selected} onChange={(e) => void store.getState().environments.select(e.target.value)}>
        {entries.map((e) => (
          <option key={e.environment.name} value={e.environment.name}>
            {e.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function SessionState() {
  const state = useStore((s) => s.session.state);
  const upstream = useStore((s) => s.session.upstream);
  const streaming = useStore((s) => Boolean(s.session.activeTurnId));
  const transport = useStore((s) => s.ui.transport);
  if (transport.state === 'closed') return <span className="conn bad" title={transport.detail}>● disconnected</span>;
  const label = streaming ? 'streaming' : state === 'open' ? `ready · ${upstream ?? ''}` : state;
  return <span className={`conn ${state === 'open' ? 'good' : state === 'error' ? 'bad' : ''} ${streaming ? 'live' : ''}`}>● {label}</span>;
}

export function App() {
  const store = useAppStore();
  const view = useStore((s) => s.ui.view);
  const boundaries = useStore((s) => s.settings.values.showTokenBoundaries);
  const mode = useStore((s) => s.ui.appInfo?.mode);
  const transport = useStore((s) => s.ui.transport);

  return (
    <div className="app">
      <header className="toolbar">
        <div className="brand" aria-label="Cognigy stream debugger">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Stream debugger
        </div>
        <nav className="views" aria-label="Views">
          {VIEWS.map((v) => (
            <button key={v.id} type="button" className={view === v.id ? 'view on' : 'view'} aria-current={view === v.id ? 'page' : undefined} onClick={() => store.getState().ui.setView(v.id)}>
              {v.label}
            </button>
          ))}
        </nav>
        <EnvironmentPicker />
        <SessionState />
        <RecordToggle />
        <RelayToggle />
        <TapToggle />
        <label className="field check toggle">
          <input type="checkbox" checked={boundaries} onChange={() => void store.getState().settings.toggleTokenBoundaries()} /> Token boundaries
        </label>
        {mode === 'browser' ? <span className="badge small mode">browser mode</span> : null}
      </header>
      <TapBar />
      {transport.state === 'closed' ? (
        <p className="errbox banner" role="alert">
          {transport.detail}
        </p>
      ) : null}
      <main className="view-body">{view === 'session' ? <SessionView /> : view === 'recordings' ? <RecordingsView /> : view === 'environments' ? <EnvironmentsView /> : <SettingsView />}</main>
    </div>
  );
}
