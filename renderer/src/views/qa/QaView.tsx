// The QA view: dialog scripts, the replay runner, a recording's assertions and compare, as sub-tabs from a
// registry (a new tab does not compile until it has its label and panel).
import type { ComponentType } from 'react';
import { QA_TABS, type QaTab } from '../../store/qa-slice';
import { useAppStore, useStore } from '../../store/store';
import { AssertionsPanel } from './AssertionsPanel';
import { ComparePanel } from './ComparePanel';
import { DialogsPanel } from './DialogsPanel';
import { ReplayPanel } from './ReplayPanel';
import { Messages } from '../Messages';

const TABS: Record<QaTab, { label: string; Component: ComponentType }> = {
  dialogs: { label: 'Dialogs', Component: DialogsPanel },
  replay: { label: 'Replay runner', Component: ReplayPanel },
  assertions: { label: 'Assertions', Component: AssertionsPanel },
  compare: { label: 'Compare', Component: ComparePanel },
};

function QaMessages() {
  const store = useAppStore();
  const error = useStore((s) => s.qa.error);
  const notice = useStore((s) => s.qa.notice);
  return <Messages error={error} notice={notice} onDismiss={() => store.getState().qa.clearMessages()} />;
}

export function QaView() {
  const store = useAppStore();
  const tab = useStore((s) => s.qa.tab);
  const { Component } = TABS[tab];
  return (
    <div className="qa">
      <div className="tabs qa-tabs" role="tablist" aria-label="QA">
        {QA_TABS.map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'tab on' : 'tab'} onClick={() => store.getState().qa.setTab(id)}>
            {TABS[id].label}
          </button>
        ))}
      </div>
      <div className="qa-body" role="tabpanel" aria-label={TABS[tab].label}>
        <QaMessages />
        <Component />
      </div>
    </div>
  );
}
