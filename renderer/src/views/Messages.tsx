// A view's error (an alert with Dismiss) and notice (a status line), one way for every view.
export function Messages({ error, notice, onDismiss }: { error?: string; notice?: string; onDismiss(): void }) {
  return (
    <>
      {error ? (
        <p className="errbox" role="alert">
          {error}{' '}
          <button type="button" className="btn small" onClick={onDismiss}>
            Dismiss
          </button>
        </p>
      ) : null}
      {notice ? (
        <p className="hint" role="status">
          {notice}
        </p>
      ) : null}
    </>
  );
}
