// The editor of one environment (or a new one). Non-secret fields are a draft validated with the shared
// schema; secret fields are write-only (SecretField). The built-in demo is shown read-only.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { SecretKind } from '../../../../shared/environment';
import type { EnvironmentEntry } from '../../../../shared/ipc';
import { UPSTREAM_KINDS, type UpstreamKind } from '../../../../shared/events';
import { UPSTREAM_KIND_INFO } from '../../../../shared/upstream-kinds';
import { useAppStore, useStore } from '../../store/store';
import { ConnectionReportView } from './ConnectionReportView';
import { draftOf, EMPTY_DRAFT, validateDraft, type Draft } from './draft';
import { SecretField, type SecretFieldHandle } from './SecretField';

function Text({ label, value, onChange, error, placeholder, disabled, type = 'text' }: { label: string; value: string; onChange(v: string): void; error?: string; placeholder?: string; disabled?: boolean; type?: string }) {
  return (
    <label className={`field ${error ? 'invalid' : ''}`}>
      <span>{label}</span>
      <input type={type} value={value} placeholder={placeholder} disabled={disabled} spellCheck={false} aria-invalid={Boolean(error)} onChange={(e) => onChange(e.target.value)} />
      {error ? <small className="field-error">{error}</small> : null}
    </label>
  );
}

const SECRET_LABELS: Record<SecretKind, string> = { 'client-secret': 'Client secret', 'api-key': 'Management API key' };

export function EnvironmentForm({ entry }: { entry?: EnvironmentEntry }) {
  const store = useAppStore();
  const busy = useStore((s) => s.environments.busy);
  const test = useStore((s) => (entry ? s.environments.tests[entry.environment.name] : undefined));
  const pendingDelete = useStore((s) => (entry && s.environments.pendingDelete?.name === entry.environment.name ? s.environments.pendingDelete : undefined));
  const [draft, setDraft] = useState<Draft>(() => (entry ? draftOf(entry.environment) : EMPTY_DRAFT));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [dupName, setDupName] = useState<string | undefined>();
  const secretRefs = useRef<Partial<Record<SecretKind, SecretFieldHandle | null>>>({});
  const readOnly = entry?.builtIn ?? false;
  const name = entry?.environment.name;

  // Reset only when another version of the environment is shown, not when the list is merely re-read (after
  // a failed action the list is reloaded from disk, and what the user typed must survive that).
  useEffect(() => {
    setDraft(entry ? draftOf(entry.environment) : EMPTY_DRAFT);
    setErrors({});
    setConfirmDelete(false);
    setDupName(undefined);
  }, [entry?.environment.name, entry?.environment.updatedAt]);

  const set = <K extends keyof Draft>(k: K) => (v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const secretKinds: readonly SecretKind[] = UPSTREAM_KIND_INFO[draft.kind].secretKinds;

  const save = async () => {
    const v = validateDraft(draft);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    setErrors({});
    // Secrets typed into the form go to the keychain once the environment exists. An input is cleared only
    // when the keychain took its value: "settings saved, secret not stored" keeps what the user typed (the
    // editor stays mounted across saving a new environment, see editorKey).
    const typed: Array<[SecretKind, string]> = [];
    for (const kind of secretKinds) {
      const h = secretRefs.current[kind];
      if (h?.hasValue()) typed.push([kind, h.peek()]);
    }
    const envs = store.getState().environments;
    if (!(await envs.save(v.environment, name))) return;
    const failed = await store.getState().environments.storeTyped(v.environment.name, typed);
    for (const [kind] of typed) if (!failed.includes(kind)) secretRefs.current[kind]?.clear();
  };

  return (
    <form
      className="env-form"
      aria-label={entry ? `Environment ${entry.label}` : 'New environment'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!readOnly) void save();
      }}
    >
      <div className="form-head">
        <h2>{entry ? entry.label : 'New environment'}</h2>
        {readOnly ? <span className="badge">built-in</span> : null}
      </div>
      {/* The actions and the connection test's result right under the heading: visible without scrolling
          at 1280×720, whatever the length of the form. */}
      <div className="form-actions">
        {!readOnly ? (
          <button type="submit" className="btn primary" disabled={busy}>
            Save
          </button>
        ) : null}
        {entry ? (
          <button type="button" className="btn" disabled={test?.state === 'running'} onClick={() => void store.getState().environments.test(entry.environment.name)}>
            Test connection
          </button>
        ) : null}
        {entry ? (
          <button
            type="button"
            className="btn"
            onClick={() => {
              void store.getState().environments.select(entry.environment.name);
              store.getState().ui.setView('session');
            }}
          >
            Use for session
          </button>
        ) : null}
        {entry && !readOnly ? (
          dupName === undefined ? (
            <button type="button" className="btn" onClick={() => setDupName(`${entry.environment.name}-copy`)}>
              Duplicate
            </button>
          ) : (
            <span className="inline-confirm">
              <input aria-label="Name of the copy" value={dupName} onChange={(e) => setDupName(e.target.value)} />
              <button type="button" className="btn small primary" onClick={() => void store.getState().environments.duplicate(entry.environment.name, dupName.trim()).then((ok) => ok && setDupName(undefined))}>
                Create copy
              </button>
              <button type="button" className="btn small" onClick={() => setDupName(undefined)}>
                Cancel
              </button>
            </span>
          )
        ) : null}
        {entry && !readOnly ? (
          pendingDelete ? (
            <span className="inline-confirm wrap" role="alertdialog" aria-label="The secret cannot be removed">
              <span>{pendingDelete.message}</span>
              <button type="button" className="btn small danger" onClick={() => void store.getState().environments.remove(entry.environment.name, true)}>
                Delete settings, keep secret
              </button>
              <button type="button" className="btn small" onClick={() => (store.getState().environments.cancelDelete(), setConfirmDelete(false))}>
                Keep environment
              </button>
            </span>
          ) : confirmDelete ? (
            <span className="inline-confirm">
              Delete “{entry.environment.name}” and its secrets?
              <button type="button" className="btn small danger" onClick={() => void store.getState().environments.remove(entry.environment.name)}>
                Delete
              </button>
              <button type="button" className="btn small" onClick={() => setConfirmDelete(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="btn danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          )
        ) : null}
      </div>
      <ConnectionReportView test={test} />
      {readOnly ? <p className="hint">Runs the simulator in-process on a free loopback port with credentials made up per run. Nothing to configure; it works offline and without a keychain.</p> : null}
      <div className="grid2">
        <Text label="Name" value={draft.name} onChange={set('name')} error={errors.name} disabled={readOnly} placeholder="acme-prod" />
        <label className="field">
          <span>Upstream</span>
          <select value={draft.kind} disabled={readOnly} onChange={(e) => set('kind')(e.target.value as Draft['kind'])}>
            {UPSTREAM_KINDS.map((k) => (
              <option key={k} value={k}>
                {UPSTREAM_KIND_INFO[k].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Text label="Description" value={draft.description} onChange={set('description')} disabled={readOnly} />
      {({
        gateway: (
        <fieldset>
          <legend>Gateway</legend>
          <div className="grid2">
            <Text label="Host" value={draft.host} onChange={set('host')} error={errors['gateway.host'] ?? errors.gateway} disabled={readOnly} placeholder="acme.cognigy.ai or 127.0.0.1:8080" />
            <Text label="Client ID" value={draft.clientId} onChange={set('clientId')} error={errors['gateway.clientId']} disabled={readOnly} />
            <Text label="Dialog ID" value={draft.dialogId} onChange={set('dialogId')} error={errors['gateway.dialogId']} disabled={readOnly} />
            <Text label="Session ID (optional)" value={draft.gatewaySessionId} onChange={set('gatewaySessionId')} disabled={readOnly} />
          </div>
          <Text label="Scopes" value={draft.scopes} onChange={set('scopes')} error={errors['gateway.scopes']} disabled={readOnly} />
        </fieldset>
        ),
        'socket-endpoint': (
        <fieldset>
          <legend>Socket.IO endpoint</legend>
          <div className="grid2">
            <Text label="Endpoint URL" value={draft.endpointUrl} onChange={set('endpointUrl')} error={errors['socketEndpoint.endpointUrl'] ?? errors.socketEndpoint} disabled={readOnly} placeholder="https://endpoint-trial.cognigy.ai" />
            <Text label="URL token" value={draft.urlToken} onChange={set('urlToken')} error={errors['socketEndpoint.urlToken']} disabled={readOnly} />
            <Text label="Management API URL (optional)" value={draft.apiUrl} onChange={set('apiUrl')} error={errors['socketEndpoint.apiUrl']} disabled={readOnly} placeholder="https://api-trial.cognigy.ai" />
            <Text label="User ID (optional)" value={draft.userId} onChange={set('userId')} disabled={readOnly} />
            <Text label="Session ID (optional)" value={draft.socketSessionId} onChange={set('socketSessionId')} disabled={readOnly} />
            <Text label="Channel" value={draft.channel} onChange={set('channel')} disabled={readOnly} />
          </div>
          <label className="field check">
            <input type="checkbox" checked={draft.testMode} disabled={readOnly} onChange={(e) => set('testMode')(e.target.checked)} /> Test mode
          </label>
        </fieldset>
        ),
        // One fieldset per kind: a kind without its own fields does not compile.
      } satisfies Record<UpstreamKind, ReactNode>)[draft.kind]}
      <fieldset>
        <legend>Model</legend>
        <div className="grid3">
          <Text label="Model" value={draft.model} onChange={set('model')} error={errors['model.model']} disabled={readOnly} />
          <Text label="Temperature" type="number" value={draft.temperature} onChange={set('temperature')} error={errors['model.temperature']} disabled={readOnly} />
          <Text label="Max tokens" type="number" value={draft.maxTokens} onChange={set('maxTokens')} error={errors['model.maxTokens']} disabled={readOnly} />
        </div>
        <Text label="Filter policy file (optional)" value={draft.policyPath} onChange={set('policyPath')} disabled={readOnly} placeholder="/path/to/policy.json" />
      </fieldset>
      {!readOnly ? (
        <fieldset>
          <legend>Secrets (OS keychain)</legend>
          {secretKinds.map((kind) => (
            <SecretField
              key={kind}
              kind={kind}
              label={SECRET_LABELS[kind]}
              status={entry?.secrets[kind]}
              busy={busy}
              ref={(h) => {
                secretRefs.current[kind] = h;
              }}
              onSave={name ? (v) => void store.getState().environments.setSecret(name, kind, v) : undefined}
              onClear={name ? () => void store.getState().environments.clearSecret(name, kind) : undefined}
            />
          ))}
          {!name ? <p className="hint">The secret is stored in the keychain when you save; it is never shown again.</p> : null}
        </fieldset>
      ) : null}
    </form>
  );
}
