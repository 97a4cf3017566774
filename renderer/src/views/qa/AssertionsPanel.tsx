// The assertions editor of a recording's sidecar (`<cassette>.assert.json`, the file `replay` reads): the
// JSON as text, checked by main's core schema as typed with each problem at its JSON path, plus a small
// helper that adds one assertion for all turns or one turn. What an assertion means is main's business.
import { useEffect, useState } from 'react';
import { ASSERTION_FAMILIES, type AssertionKind } from '../../../../shared/assertions';
import { useAppStore, useStore } from '../../store/store';

/**
 * What the Add helper builds per kind (every kind of shared/assertions.ts, so a new kind does not compile
 * until it is offered): its label and the one field the value goes into, if any. Whether the result is
 * valid is the shared validator's call, shown under the editor.
 */
const KINDS: Record<AssertionKind, { label: string; field?: string; number?: boolean; fixed?: Record<string, unknown> }> = {
  contains: { label: 'text contains', field: 'text' },
  notContains: { label: 'text does not contain', field: 'text' },
  regex: { label: 'text matches regex', field: 'pattern' },
  similarity: { label: 'similar to the recording ≥ (0..1)', field: 'min', number: true },
  noHit: { label: 'no filter hit of type', field: 'type' },
  noLeak: { label: 'no leak' },
  noWebchatWarning: { label: 'no Webchat warning' },
  ttft: { label: 'time to first token ≤ (ms)', field: 'max', number: true },
  maxGap: { label: 'longest gap between tokens ≤ (ms)', field: 'max', number: true },
  tokensPerSecond: { label: 'tokens per second ≥', field: 'min', number: true },
  messages: { label: 'streamed messages ≤', field: 'max', number: true },
  chunks: { label: 'chunks ≤', field: 'max', number: true },
  structured: { label: 'structured output present', fixed: { present: true } },
  status: { label: 'turn complete', fixed: { is: 'complete' } },
  synced: { label: 'sync succeeded' },
  usage: { label: 'total tokens ≤', field: 'max', number: true },
};
const KIND_ORDER: AssertionKind[] = Object.values(ASSERTION_FAMILIES).flat();

/** The text with one assertion added (`all`, or the turn's entry), or undefined when it is not a JSON object. */
function withAssertion(text: string, scope: string, kind: AssertionKind, raw: string): string | undefined {
  let file: { all?: unknown[]; turns?: Array<{ assert?: unknown[] }> } & Record<string, unknown>;
  try {
    file = text.trim() ? (JSON.parse(text) as typeof file) : {};
  } catch {
    return undefined;
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return undefined;
  const d = KINDS[kind];
  const assertion = { kind, ...(d.field ? { [d.field]: d.number ? Number(raw) : raw } : {}), ...d.fixed };
  if (scope === 'all') file.all = [...(Array.isArray(file.all) ? file.all : []), assertion];
  else {
    const n = Number(scope);
    const turns = Array.isArray(file.turns) ? [...file.turns] : [];
    while (turns.length < n) turns.push({});
    const entry = turns[n - 1] ?? {};
    turns[n - 1] = { ...entry, assert: [...(Array.isArray(entry.assert) ? entry.assert : []), assertion] };
    file.turns = turns;
  }
  return `${JSON.stringify(file, null, 2)}\n`;
}

function AddHelper({ turns }: { turns: number }) {
  const store = useAppStore();
  const text = useStore((s) => s.qa.assertions?.text ?? '');
  const [scope, setScope] = useState('all');
  const [kind, setKind] = useState<AssertionKind>('ttft');
  const [value, setValue] = useState('');
  const d = KINDS[kind];
  const ready = !d.field || (value.trim() !== '' && (!d.number || Number.isFinite(Number(value))));
  const next = ready ? withAssertion(text, scope, kind, value) : undefined;
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
        <select aria-label="Assertion kind" value={kind} onChange={(e) => setKind(e.target.value as AssertionKind)}>
          {KIND_ORDER.map((k) => (
            <option key={k} value={k}>
              {k} — {KINDS[k].label}
            </option>
          ))}
        </select>
      </label>
      {d.field ? <input aria-label="Assertion value" placeholder={d.field} value={value} onChange={(e) => setValue(e.target.value)} /> : null}
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
          <textarea className="qa-json" aria-label="Assertions JSON" spellCheck={false} value={a.text} placeholder='{"all": [{"kind": "ttft", "max": 2000}], "turns": [{}, {"assert": [{"kind": "contains", "text": "card"}]}]}' onChange={(e) => void qa().editAssertions(e.target.value)} />
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
