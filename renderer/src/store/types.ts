// The combined store's type. Each slice owns one namespace (environments.*, qa.*, recordings.*, relay.*, session.*,
// settings.*, sync.*, tap.*, ui.*) so slices never overwrite each other's keys; each is typed against the whole (StateCreator<AllSlices>).
import type { StateCreator } from 'zustand';
import type { EnvironmentsSlice } from './environments-slice';
import type { QaSlice } from './qa-slice';
import type { RecordingsSlice } from './recordings-slice';
import type { RelaySlice } from './relay-slice';
import type { SessionSlice } from './session-slice';
import type { SettingsSlice } from './settings-slice';
import type { SyncSlice } from './sync-slice';
import type { TapSlice } from './tap-slice';
import type { UiSlice } from './ui-slice';

export type AllSlices = EnvironmentsSlice & QaSlice & RecordingsSlice & RelaySlice & SessionSlice & SettingsSlice & SyncSlice & TapSlice & UiSlice;
export type SliceCreator<S> = StateCreator<AllSlices, [], [], S>;

/** Patches one namespace. */
export function patch<K extends keyof AllSlices>(key: K, value: Partial<AllSlices[K]>): (s: AllSlices) => Partial<AllSlices> {
  return (s) => ({ [key]: { ...s[key], ...value } });
}
