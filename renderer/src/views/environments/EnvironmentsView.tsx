// Offline credential management: the list of environments (the built-in demo first) and the editor.
// Works without network; only "Test connection" goes out.
import { useStore, useAppStore } from '../../store/store';
import { EnvironmentForm } from './EnvironmentForm';

export function EnvironmentsView() {
  const store = useAppStore();
  const entries = useStore((s) => s.environments.entries);
  const editing = useStore((s) => s.environments.editing);
  const selected = useStore((s) => s.environments.selected);
  const error = useStore((s) => s.environments.error);
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
            const secretKind = e.environment.kind === 'gateway' ? 'client-secret' : 'api-key';
            return (
              <li key={name}>
                <button type="button" className={`env-item ${on ? 'on' : ''}`} aria-current={on ? 'true' : undefined} onClick={() => store.getState().environments.edit(name)}>
                  <span className="env-name">
                    {e.label}
                    {name === selected ? <span className="badge small">in use</span> : null}
                  </span>
                  <span className="env-meta">
                    {e.environment.kind}
                    {e.builtIn ? '' : ` · secret ${e.secrets[secretKind]}`}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
        {keychain && !keychain.available ? (
          <p className="errbox" role="alert">
            Keychain unavailable: {keychain.reason}
            {keychain.fix ? ` — ${keychain.fix}` : ''}
          </p>
        ) : null}
      </nav>
      <section className="env-editor" aria-label="Environment editor">
        {error ? (
          <p className="errbox" role="alert">
            {error}{' '}
            <button type="button" className="btn small" onClick={() => store.getState().environments.clearError()}>
              Dismiss
            </button>
          </p>
        ) : null}
        <EnvironmentForm key={isNew ? '(new)' : (current?.environment.name ?? '(none)')} entry={isNew ? undefined : current} />
      </section>
    </div>
  );
}
