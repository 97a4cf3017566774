// The tap: a toolbar toggle and, under the toolbar, its bar — set it up (filter what the frontend gets?
// record each connection?), then the URL to put into your own Webchat embed or socket client, and the
// live connections, each a session this window can watch.
import { DEMO_ENV } from '../../../../shared/environment';
import { useState } from 'react';
import { useAppStore, useStore } from '../../store/store';
import { CopyField } from '../CopyField';
import { kindInfo } from '../../../../shared/upstream-kinds';

/** Only a Socket Endpoint can be tapped (the demo's simulator has one). */
function useTappable(): { environment: string; tappable: boolean } {
  const environment = useStore((s) => s.environments.selected);
  const kind = useStore((s) => s.environments.entries.find((e) => e.environment.name === s.environments.selected)?.environment.kind);
  return { environment, tappable: environment === DEMO_ENV || (kind !== undefined && kindInfo(kind).webchat) };
}

export function TapToggle() {
  const store = useAppStore();
  const running = useStore((s) => s.tap.status.running);
  const open = useStore((s) => s.tap.panelOpen);
  const { tappable } = useTappable();
  return (
    <button
      type="button"
      className={`btn small tap-toggle ${running ? 'on' : ''}`}
      aria-expanded={open}
      aria-controls="tap-bar"
      disabled={!running && !tappable}
      title={running ? 'The tap is running: show or hide its bar' : tappable ? 'Tap your own Webchat: sit between your frontend and this Socket Endpoint' : 'Only a socket-endpoint environment (or the demo) can be tapped'}
      onClick={() => store.getState().tap.togglePanel()}
    >
      {running ? 'Tap on' : 'Tap'}
    </button>
  );
}

export function TapBar() {
  const store = useAppStore();
  const open = useStore((s) => s.tap.panelOpen);
  const status = useStore((s) => s.tap.status);
  const busy = useStore((s) => s.tap.busy);
  // A failed start or stop, else the last frontend the tap had to refuse (the upstream unreachable).
  const error = useStore((s) => s.tap.error ?? s.tap.status.error);
  const watching = useStore((s) => (s.session.tapped ? s.session.sessionId : undefined));
  const { environment, tappable } = useTappable();
  const [enforce, setEnforce] = useState(false);
  const [record, setRecord] = useState(false);
  if (!open) return null;
  return (
    <section id="tap-bar" className="tap-bar" aria-label="Tap">
      {status.running && status.url ? (
        <>
          <span className="tap-what">
            Tapping <strong>{status.environment}</strong>
            {status.enforce ? <span className="badge small warn">frontend gets the filtered stream</span> : <span className="badge small">pass-through</span>}
          </span>
          <span className="tap-url">
            Put into your frontend: <CopyField value={status.url} label="Tap URL" size={34} />
          </span>
          <button type="button" className="btn small" disabled={busy} onClick={() => void store.getState().tap.stop()}>
            Stop tap
          </button>
          <ul className="tap-connections" aria-label="Tapped connections">
            {status.connections.length === 0 ? <li className="muted small">No frontend connected yet.</li> : null}
            {status.connections.map((c, i) => (
              <li key={c.id} className={c.open ? 'open' : 'closed'}>
                <span className="mono small">
                  #{i + 1} {c.userId ? `user ${c.userId}` : 'no user id'} · {c.turns} turn{c.turns === 1 ? '' : 's'} · {c.open ? 'connected' : 'closed'}
                  {c.recording ? ' · ● recorded' : ''}
                </span>
                <button
                  type="button"
                  className="btn small"
                  aria-pressed={watching === c.sessionId}
                  onClick={() => {
                    store.getState().ui.setView('session');
                    void store.getState().session.watchTapped(c.id, status.environment ?? environment);
                  }}
                >
                  {watching === c.sessionId ? 'Watching' : 'Watch'}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <span className="tap-what">
            Tap <strong>{environment}</strong>: your frontend talks to Cognigy through this app, unchanged, and every connection shows here.
          </span>
          <label className="field check">
            <input type="checkbox" checked={enforce} onChange={(e) => setEnforce(e.target.checked)} /> Frontend gets the filtered stream
          </label>
          <label className="field check">
            <input type="checkbox" checked={record} onChange={(e) => setRecord(e.target.checked)} /> Record each connection
          </label>
          <button type="button" className="btn small primary" disabled={busy || !tappable} onClick={() => void store.getState().tap.start(environment, { enforce, record })}>
            Start tap
          </button>
        </>
      )}
      {error ? (
        <span className="bad small" role="alert">
          tap: {error}
        </span>
      ) : null}
    </section>
  );
}
