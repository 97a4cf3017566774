// Settings shared with the CLI: the fallback messages (chosen by typed cause), the stall threshold and token
// boundaries. Saved through the API into the data dir.
import { useEffect, useState } from 'react';
import type { Settings } from '../../../shared/ipc';
import { useAppStore, useStore } from '../store/store';

const FALLBACK_LABELS: Record<keyof Settings['fallbacks'], string> = {
  timeout: 'Timeout',
  rateLimited: 'Rate limited',
  contentFiltered: 'Content filtered',
  generic: 'Any other failure',
};

export function SettingsView() {
  const store = useAppStore();
  const values = useStore((s) => s.settings.values);
  const error = useStore((s) => s.settings.error);
  const info = useStore((s) => s.ui.appInfo);
  const [fallbacks, setFallbacks] = useState(values.fallbacks);
  const [saved, setSaved] = useState(false);
  useEffect(() => setFallbacks(values.fallbacks), [values.fallbacks]);
  return (
    <div className="settings">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void store
            .getState()
            .settings.update({ fallbacks })
            .then(() => setSaved(true));
        }}
      >
        <h2>Fallback messages</h2>
        <p className="hint">What the end user sees instead of an answer, chosen by the typed cause of the failure (never by error text).</p>
        {(Object.keys(FALLBACK_LABELS) as Array<keyof Settings['fallbacks']>).map((k) => (
          <label key={k} className="field">
            <span>{FALLBACK_LABELS[k]}</span>
            <input
              value={fallbacks[k]}
              onChange={(e) => {
                setSaved(false);
                setFallbacks({ ...fallbacks, [k]: e.target.value });
              }}
            />
          </label>
        ))}
        <div className="form-actions">
          <button type="submit" className="btn primary">
            Save fallbacks
          </button>
          {saved ? <span className="muted">Saved. New sessions use them.</span> : null}
        </div>
      </form>
      <h2>Display</h2>
      <label className="field check">
        <input type="checkbox" checked={values.showTokenBoundaries} onChange={() => void store.getState().settings.toggleTokenBoundaries()} /> Show token boundaries in the lanes
      </label>
      <label className="field inline">
        <span>Stall threshold (ms)</span>
        <input
          type="number"
          min={1}
          value={values.stallThresholdMs}
          onChange={(e) => {
            const v = Math.round(Number(e.target.value));
            if (v > 0) void store.getState().settings.update({ stallThresholdMs: v });
          }}
        />
      </label>
      {error ? <p className="errbox">{error}</p> : null}
      {info ? (
        <>
          <h2>About</h2>
          <dl className="kv">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Mode</dt>
            <dd>{info.mode === 'electron' ? 'desktop app' : 'browser mode (npm run cli -- ui)'}</dd>
            <dt>Data dir</dt>
            <dd className="mono">{info.dataDir}</dd>
            <dt>Keychain</dt>
            <dd>{info.keychain.available ? `available (${info.keychain.store})` : `unavailable: ${info.keychain.reason ?? ''}`}</dd>
          </dl>
        </>
      ) : null}
    </div>
  );
}
