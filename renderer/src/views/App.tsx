// The window: a toolbar (views, environment picker, session state, record and relay toggles, token boundaries)
// over the current view.
import { useEffect } from 'react';
import { useAppStore, useStore } from '../store/store';
import { Counted } from './Counted';
import { EnvironmentSelect } from './EnvironmentSelect';
import { VIEW_ORDER, VIEWS } from './registry';
import { RecordToggle } from './session/RecordToggle';
import { RelayToggle } from './session/RelayToggle';
import { TapBar, TapToggle } from './session/TapBar';

function EnvironmentPicker() {
  const store = useAppStore();
  const selected = useStore((s) => s.environments.selected);
  return <EnvironmentSelect label="Environment" className="env-picker" value={selected} onChange={(name) => void store.getState().environments.select(name)} />;
}

function SessionState() {
  const state = useStore((s) => s.session.state);
  const upstream = useStore((s) => s.session.upstream);
  const streaming = useStore((s) => Boolean(s.session.activeTurnId));
  const transport = useStore((s) => s.ui.transport);
  if (transport.state !== 'open') return <span className="conn bad">● disconnected</span>;
  const label = streaming ? 'streaming' : state === 'open' ? `ready · ${upstream ?? ''}` : state;
  return <span className={`conn ${state === 'open' ? 'good' : state === 'error' ? 'bad' : ''} ${streaming ? 'live' : ''}`}>● {label}</span>;
}

function Current() {
  const view = useStore((s) => s.ui.view);
  const { Component } = VIEWS[view];
  return <Component />;
}

export function App() {
  const store = useAppStore();
  const view = useStore((s) => s.ui.view);
  const boundaries = useStore((s) => s.settings.values.showTokenBoundaries);
  const mode = useStore((s) => s.ui.appInfo?.mode);
  const transport = useStore((s) => s.ui.transport);

  // Browser mode: a reload closes this tab's session on the server (its turns live in this page only), so
  // the browser asks first once there is something to lose.
  useEffect(() => {
    if (mode !== 'browser') return;
    const guard = (e: BeforeUnloadEvent) => {
      if (store.getState().session.turns.order.length === 0) return;
      e.preventDefault();
      // Older engines need returnValue set to show the prompt (the text itself is the browser's own).
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [mode, store]);

  // A page the running app refused (a stale or wrong token): one message, nothing else that could fail.
  if (transport.state === 'refused') {
    return (
      <main className="fatal" role="alert">
        <h1>Cannot connect</h1>
        <p>{transport.detail}</p>
      </main>
    );
  }

  return (
    <div className="app">
      <header className="toolbar">
        <Counted id="App">
          <div className="brand" aria-label="Cognigy stream debugger">
            <span className="logo" aria-hidden="true">
              ◆
            </span>{' '}
            Stream debugger
          </div>
        </Counted>
        <nav className="views" aria-label="Views">
          {VIEW_ORDER.map((id) => (
            <button key={id} type="button" className={view === id ? 'view on' : 'view'} title={VIEWS[id].title} aria-current={view === id ? 'page' : undefined} onClick={() => store.getState().ui.setView(id)}>
              {VIEWS[id].label}
            </button>
          ))}
        </nav>
        <Counted id="EnvironmentPicker">
          <EnvironmentPicker />
        </Counted>
        <Counted id="SessionState">
          <SessionState />
        </Counted>
        <Counted id="RecordToggle">
          <RecordToggle />
        </Counted>
        <Counted id="RelayToggle">
          <RelayToggle />
        </Counted>
        <Counted id="TapToggle">
          <TapToggle />
        </Counted>
        <label className="field check toggle" title="Show where each token starts and ends in the lanes">
          <input type="checkbox" aria-label="Token boundaries" checked={boundaries} onChange={() => void store.getState().settings.toggleTokenBoundaries()} /> Boundaries
        </label>
        {mode === 'browser' ? <span className="badge small mode" title="Browser mode: this UI served on 127.0.0.1 against the same engine as the desktop app">browser</span> : null}
      </header>
      <Counted id="TapBar">
        <TapBar />
      </Counted>
      {transport.state !== 'open' ? (
        <p className="errbox banner" role="alert">
          {transport.detail}
        </p>
      ) : null}
      <main className="view-body">
        <Current />
      </main>
    </div>
  );
}
