// The result of "Test connection": ok or the typed cause, token expiry, granted and missing scopes, and
// the report's lines as text.
import type { ConnectionTest } from '../../store/environments-slice';

function expiry(at: number | undefined, now: number): string {
  if (at === undefined) return '—';
  const mins = Math.round((at - now) / 60000);
  const when = new Date(at).toLocaleTimeString();
  return mins >= 0 ? `in ${mins} min (${when})` : `expired ${-mins} min ago (${when})`;
}

export function ConnectionReportView({ test }: { test?: ConnectionTest }) {
  if (!test) return null;
  if (test.state === 'running') return <p className="muted" role="status">Testing the connection…</p>;
  if (test.state === 'error') return <p className="errbox" role="alert">Test failed: {test.message}</p>;
  const r = test.report;
  return (
    <div className={`report ${r.ok ? 'ok' : 'bad'}`} role="status" aria-label="Connection test result">
      <div className="report-head">
        <span className={`badge ${r.ok ? 'good' : 'badbg'}`}>{r.ok ? 'connected' : 'failed'}</span>
        {r.cause ? <span className={`cause c-${r.cause}`}>{r.cause}</span> : null}
        <span className="muted">{r.upstream}</span>
      </div>
      <dl className="kv">
        <dt>Token expires</dt>
        <dd>{expiry(r.tokenExpiresAt, test.at)}</dd>
        <dt>Granted scopes</dt>
        <dd>
          {r.grantedScopes?.length
            ? r.grantedScopes.map((s) => (
                <span key={s} className="chip">
                  {s}
                </span>
              ))
            : '—'}
        </dd>
        <dt>Missing scopes</dt>
        <dd>
          {/* "none" is good news, not an alarm; no token at all means nothing is known. */}
          {r.missingScopes === undefined ? (
            '—'
          ) : r.missingScopes.length ? (
            r.missingScopes.map((s) => (
              <span key={s} className="chip bad">
                {s}
              </span>
            ))
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        {r.endpointReady !== undefined ? (
          <>
            <dt>endpoint-ready</dt>
            <dd>{r.endpointReady ? 'received' : 'not sent (server before 4.79?)'}</dd>
          </>
        ) : null}
      </dl>
      {/* The transcript below already ends with the error: say it a second time only if it does not. */}
      {r.error && !r.lines.some((l) => l.includes(r.error!)) ? <p className="errbox">{r.error}</p> : null}
      <pre className="report-lines">{r.lines.join('\n')}</pre>
    </div>
  );
}
