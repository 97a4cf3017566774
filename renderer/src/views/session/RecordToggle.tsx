// The toolbar's record toggle: records the open session into a cassette; shows "● REC <file>" while on.
import { useAppStore, useStore } from '../../store/store';

export function RecordToggle() {
  const store = useAppStore();
  const sessionId = useStore((s) => s.session.sessionId);
  const active = useStore((s) => s.recordings.active);
  const toggling = useStore((s) => s.recordings.toggling);
  // A recording belongs to its session: once another session is open it has ended main-side.
  const on = Boolean(active && active.sessionId === sessionId);
  return (
    <button
      type="button"
      className={`btn small rec-toggle ${on ? 'on' : ''}`}
      aria-pressed={on}
      disabled={toggling || !sessionId}
      title={on ? `Recording to ${active?.id ?? ''}; click to stop` : 'Record this session into a cassette (Recordings tab)'}
      onClick={() => void store.getState().recordings.toggleRecording()}
    >
      {on ? (
        <>
          <span className="rec-dot">● REC</span> <span className="mono">{active?.name}</span>
        </>
      ) : (
        '● Record'
      )}
    </button>
  );
}
