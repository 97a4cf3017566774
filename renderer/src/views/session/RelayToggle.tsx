// The toolbar's SSE relay toggle: serves the selected environment's filtered stream on 127.0.0.1 for a
// developer's own frontend, and shows the URL (copyable).
import { useAppStore, useStore } from '../../store/store';
import { CopyField } from '../CopyField';

export function RelayToggle() {
  const store = useAppStore();
  const status = useStore((s) => s.relay.status);
  const busy = useStore((s) => s.relay.busy);
  const error = useStore((s) => s.relay.error);
  const environment = useStore((s) => s.environments.selected);
  return (
    <span className="relay">
      <button
        type="button"
        className={`btn small relay-toggle ${status.running ? 'on' : ''}`}
        aria-pressed={status.running}
        disabled={busy}
        title={status.running ? 'Stop the SSE relay' : `Serve ${environment}'s filtered stream as Server-Sent Events on 127.0.0.1 (GET /stream?input=…)`}
        onClick={() => void (status.running ? store.getState().relay.stop() : store.getState().relay.start(environment))}
      >
        {status.running ? 'Relay on' : 'Relay'}
      </button>
      {status.running && status.url ? <CopyField value={status.url} label="Relay URL" /> : null}
      {error ? (
        <span className="bad small" role="alert" title={error}>
          relay: {error}
        </span>
      ) : null}
    </span>
  );
}
