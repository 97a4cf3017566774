// Offline credential management: the list of environments (the built-in demo first) and the editor.
// Works without network; only "Test connection" goes out.
import { requiredSecrets } from '../../../../shared/environment';
import { useStore, useAppStore } from '../../store/store';
import { EnvironmentForm } from './EnvironmentForm';

export function EnvironmentsView() {
  const store = useAppStore();
  const entries = useStore((s) => s.environments.entries);
  const editing = useStore((s) => s.environments.editing);
  const selected = useStore((s) => s.environments.selected);
  const error = useStore((s) => s.environments.error);
  const notice = useStore((s) => s.environments.notice);
  const editorKey = useStore((s) => s.environments.editorKey);
  const keychain = useStore((s) => s.ui.appInfo?.keychain);
  const current = editing === undefined ? entries.find((e) => e.environment.name === selected) : entries.find((e) => e.environment.name === editing);
  const isNew = editing === '';
  return (
    <div className="envs">
      <nav className="env-list" aria-label="Environments">
        <div className="env-list-head">
          <h2>Environments</h2>
          <button type="button" className="btn small primary" onClick={() => store.getState().environments.edit('')}>
            New environment
          </button>
        </div>
        <ul>
          {entries.map((e) => {
            const name = e.environment.name;
            const on = !isNew && current?.environment.name === name;
            const needed = requiredSecrets(e.environment);
            return (
              <li key={name}>
                <button type="button" className={`env-item ${on ? 'on' : ''}`} aria-current={on ? 'true' : undefined} onClick={() => store.getState().environments.edit(name)}>
                  <span className="env-name">
                    {e.label}
                    {name === selected ? <span className="badge small">in use</span> : null}
                  </span>
                  <span className="env-meta">
                    {e.environment.kind}
                    {e.builtIn ? '' : needed.length ? ` · secret ${e.secrets[needed[0]!]}` : ' · no secret needed'}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <section className="env-editor" aria-label="Environment editor">
        {keychain && !keychain.available ? (
          // The one place that tells the keychain problem and its fix; failed actions only refer to it.
          <div className="warnbox keychain-note" role="note" aria-label="Keychain unavailable">
            <strong>Keychain unavailable:</strong> {keychain.reason ?? 'the OS keychain cannot be reached'}. Secrets cannot be stored, read or removed until it works; environments that need no secret work as usual.
            {keychain.fix ? (
              <>
                {' '}
                <span className="fix">Fix: {keychain.fix}.</span>
              </>
            ) : null}
          </div>
        ) : null}
        {notice ? (
          <p className="notebox" role="status">
            {notice}{' '}
            <button type="button" className="btn small" onClick={() => store.getState().environments.clearError()}>
              Dismiss
            </button>
          </p>
        ) : null}
        {error ? (
          <p className="errbox" role="alert">
            {error}{' '}
            <button type="button" className="btn small" onClick={() => store.getState().environments.clearError()}>
              Dismiss
            </button>
          </p>
        ) : null}
        <EnvironmentForm key={editorKey} entry={isNew ? undefined : current} />
      </section>
    </div>
  );
}
