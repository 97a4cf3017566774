// The window's views as descriptors: one entry per view id, so a view added to VIEW_IDS does not compile
// until it has its label and component here (no ternary falling through to a default view).
import type { ComponentType } from 'react';
import { VIEW_IDS, type View } from '../store/ui-slice';
import { EnvironmentsView } from './environments/EnvironmentsView';
import { QaView } from './qa/QaView';
import { RecordingsView } from './recordings/RecordingsView';
import { SessionView } from './session/SessionView';
import { SettingsView } from './SettingsView';

export interface ViewDescriptor {
  label: string;
  /** Tooltip of the toolbar button, when the label needs one. */
  title?: string;
  Component: ComponentType;
}

export const VIEWS: Record<View, ViewDescriptor> = {
  session: { label: 'Session', Component: SessionView },
  recordings: { label: 'Recordings', Component: RecordingsView },
  qa: { label: 'QA', title: 'Dialog scripts, replay runs with assertions, compare two environments', Component: QaView },
  environments: { label: 'Environments', Component: EnvironmentsView },
  settings: { label: 'Settings', Component: SettingsView },
};

export const VIEW_ORDER: readonly View[] = VIEW_IDS;
