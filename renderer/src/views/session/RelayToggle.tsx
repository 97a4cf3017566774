// The toolbar's SSE relay toggle: serves the selected environment's filtered stream on 127.0.0.1 for a
// developer's own frontend, and shows the URL (copyable).
import { useRef, useState } from 'react';
import { useAppStore, useStore } from '../../store/store';

export function RelayToggle() {
  const store = useAppStore();
  const status = useStore((s) => s.relay.status);
  const busy = useStore((s) => s.relay.busy);
  const error = useStore((s) => s.relay.error);
  const environment = useStore((s) => s.environments.selected);
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLInputElement>(null);
  const copy = async () => {
    if (!status.url) return;
    let ok = false;
    try {
      await navigator.clipboard.writeText(status.url);
      ok = true;
    } catch {
      // The app grants no permissions (Electron) or the page is not focused: copy the selected text instead.
      box.current?.select();
      ok = document.execCommand?.('copy') ?? false;
    }
    if (!ok) return;
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
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
      {status.running && status.url ? (
        <>
          <input ref={box} className="relay-url mono" aria-label="Relay URL" readOnly value={status.url} size={22} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="btn small" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </>
      ) : null}
      {error ? (
        <span className="bad small" role="alert" title={error}>
          relay: {error}
        </span>
      ) : null}
    </span>
  );
}
