// The right-hand panel: the turn being looked at and tabs for inspector, timing, usage, sync and issues.
import { useShallow } from 'zustand/react/shallow';
import { useStore, useAppStore } from '../../store/store';
import type { DetailsTab } from '../../store/ui-slice';
import { visibleString } from '../../text/visible';
import { Counted } from '../Counted';
import { STATUS_LABELS, truncate } from '../format';
import { Inspector } from './Inspector';
import { IssuesView } from './IssuesView';
import { SyncView } from './SyncView';
import { TimingView } from './TimingView';
import { UsageView } from './UsageView';

const TABS: Array<{ id: DetailsTab; label: string }> = [
  { id: 'inspector', label: 'Inspector' },
  { id: 'timing', label: 'Timing' },
  { id: 'usage', label: 'Usage' },
  { id: 'sync', label: 'Sync' },
  { id: 'issues', label: 'Issues' },
];

function TurnPicker() {
  const store = useAppStore();
  const order = useStore((s) => s.session.turns.order);
  // The labels only (they change when a turn starts or ends), not the turns: a token batch re-renders nothing here.
  const labels = useStore(
    useShallow((s) =>
      s.session.turns.order.map((id) => {
        const t = s.session.turns.byId[id]!;
        return `#${t.ordinal} · ${t.scenario ? `${t.scenario} · ` : ''}${STATUS_LABELS[t.status]} · ${truncate(visibleString(t.input), 40)}`;
      }),
    ),
  );
  const selected = useStore((s) => s.ui.selectedTurnId);
  if (!order.length) return <span className="muted">no turns yet</span>;
  return (
    <label className="field inline">
      <span>Turn</span>
      <select value={selected ?? ''} onChange={(e) => store.getState().ui.select(e.target.value || undefined)}>
        {order.map((id, i) => (
          <option key={id} value={id}>
            {labels[i]}
          </option>
        ))}
      </select>
    </label>
  );
}

function Badge({ tab }: { tab: DetailsTab }) {
  const n = useStore((s) => {
    if (tab === 'sync') return s.sync.pending;
    if (tab === 'issues') {
      const t = s.ui.selectedTurnId ? s.session.turns.byId[s.ui.selectedTurnId] : undefined;
      return t ? t.errors.length + t.issues.length + t.leaks.length : 0;
    }
    return 0;
  });
  return n ? <span className="count">{n}</span> : null;
}

export function DetailsPanel() {
  const store = useAppStore();
  const tab = useStore((s) => s.ui.detailsTab);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : undefined;
    if (next) {
      e.preventDefault();
      store.getState().ui.setTab(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  };
  return (
    <aside className="details" aria-label="Details">
      <div className="details-head">
        <Counted id="DetailsPanel.TurnPicker">
          <TurnPicker />
        </Counted>
      </div>
      <div className="tabs" role="tablist" aria-label="Details" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'tab on' : 'tab'}
            onClick={() => store.getState().ui.setTab(t.id)}
          >
            {t.label}
            <Counted id={`DetailsPanel.Badge.${t.id}`}>
              <Badge tab={t.id} />
            </Counted>
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
        <Counted id={`DetailsPanel.${tab}`}>
          {tab === 'inspector' ? <Inspector /> : tab === 'timing' ? <TimingView /> : tab === 'usage' ? <UsageView /> : tab === 'sync' ? <SyncView /> : <IssuesView />}
        </Counted>
      </div>
    </aside>
  );
}
