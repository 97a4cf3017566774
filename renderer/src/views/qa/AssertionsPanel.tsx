// The assertions editor of a recording's sidecar (`<cassette>.assert.json`, the file `replay` reads): the
// JSON as text, checked by main's core schema as typed with each problem at its JSON path, plus a small
// helper that adds one assertion for all turns or one turn. What an assertion means is main's business.
import { useEffect, useState } from 'react';
import { useAppStore, useStore } from '../../store/store';

/** What the Add helper offers: the sidecar key and how its value is typed (a list gets the value appended). */
const KINDS: Array<{ key: string; label: string; value: 'number' | 'list'; hint: string }> = [
  { key: 'contains', label: 'text contains', value: 'list', hint: 'a string the answer must contain' },
  { key: 'notContains', label: 'text does not contain', value: 'list', hint: 'a string the answer must not contain' },
  { key: 'regex', label: 'text matches regex', value: 'list', hint: 'a regular expression' },
  { key: 'maxTtftMs', label: 'time to first token ≤ (ms)', value: 'number', hint: 'milliseconds' },
  { key: 'maxTotalTokens', label: 'total tokens ≤', value: 'number', hint: 'tokens' },
  { key: 'noPii', label: 'no PII of type', value: 'list', hint: 'e.g. CREDIT_CARD' },
];

/** The text with one assertion added, or undefined when the text is not a JSON object to add to. */
function withAssertion(text: string, scope: string, key: string, kind: 'number' | 'list', raw: string): string | undefined {
  let file: Record<string, unknown>;
  try {
    file = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return undefined;
  const value: unknown = kind === 'number' ? Number(raw) : raw;
  const target = scope === 'all' ? ((file.all ??= {}) as Record<string, unknown>) : ((((file.turns ??= {}) as Record<string, unknown>)[scope] ??= {}) as Record<string, unknown>);
  if (kind === 'list') target[key] = [...((Array.isArray(target[key]) ? target[key] : []) as unknown[]), value];
  else target[key] = value;
  return `${JSON.stringify(file, null, 2)}\n`;
}

function AddHelper({ turns }: { turns: number }) {
  const store = useAppStore();
  const text = useStore((s) => s.qa.assertions?.text ?? '');
  const [scope, setScope] = useState('all');
  const [key, setKey] = useState('maxTtftMs');
  const [value, setValue] = useState('');
  const kind = KINDS.find((k) => k.key === key)!;
  const next = value.trim() && (kind.value !== 'number' || Number.isFinite(Number(value))) ? withAssertion(text, scope, key, kind.value, value) : undefined;
  return (
    <form
      className="qa-row qa-add"
      aria-label="Add an assertion"
      onSubmit={(e) => {
        e.preventDefault();
        if (next !== undefined) void store.getState().qa.editAssertions(next);
        setValue('');
      }}
    >
      <label className="field inline">
        <span>For</span>
        <select aria-label="Assertion scope" value={scope} onChange={(e) => setScope(e.target.value)}>
          <option value="all">all turns</option>
          {Array.from({ length: turns }, (_, i) => (
            <option key={i} value={String(i + 1)}>
              turn {i + 1}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline">
        <span>Assert</span>
        <select aria-label="Assertion kind" value={key} onChange={(e) => setKey(e.target.value)}>
          {KINDS.map((k) => (
            <option key={k.key} value={k.key}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <input aria-label="Assertion value" placeholder={kind.hint} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="btn small" disabled={next === undefined}>
        Add
      </button>
    </form>
  );
}

export function AssertionsPanel() {
  const store = useAppStore();
  const entries = useStore((s) => s.recordings.entries);
  const a = useStore((s) => s.qa.assertions);
  const qa = () => store.getState().qa;
  useEffect(() => {
    void store.getState().recordings.load();
  }, [store]);
  const entry = entries.find((e) => e.id === a?.id);
  return (
    <div className="qa-assertions">
      <div className="qa-row">
        <label className="field inline">
          <span>Recording</span>
          <select aria-label="Recording" value={a?.id ?? ''} onChange={(e) => e.target.value && void qa().openAssertions(e.target.value)}>
            <option value="">— pick a recording —</option>
            {entries
              .filter((e) => !e.problem)
              .map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name} ({e.turns} turns)
                </option>
              ))}
          </select>
        </label>
        {a ? (
          <>
            <span className="mono small">{a.fileName}</span>
            <span className="muted small">{a.exists ? 'exists' : 'not created yet'}</span>
            <button type="button" className="btn primary" disabled={a.errors.length > 0 || !a.dirty} onClick={() => void qa().saveAssertions()}>
              Save
            </button>
            {a.dirty ? <span className="muted small">unsaved changes</span> : null}
          </>
        ) : null}
      </div>
      {a ? (
        <>
          <AddHelper turns={entry?.turns ?? 0} />
          <textarea className="qa-json" aria-label="Assertions JSON" spellCheck={false} value={a.text} placeholder='{"all": {"maxTtftMs": 2000}, "turns": {"2": {"contains": ["card"]}}}' onChange={(e) => void qa().editAssertions(e.target.value)} />
          {a.errors.length ? (
            <ul className="qa-problems" aria-label="Assertion problems">
              {a.errors.map((e) => (
                <li key={`${e.path}|${e.message}`} className="bad">
                  <span className="mono">{e.path}</span>: {e.message}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">{a.text.trim() ? 'Valid: replay checks these on every run (CLI and app).' : 'Empty: saving removes the sidecar; replay then runs the default checks only.'}</p>
          )}
        </>
      ) : (
        <p className="muted">Pick a recording to edit the assertions replay checks on it.</p>
      )}
    </div>
  );
}
