import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import type { ScenarioName } from '../../../shared/scenarios';
import type { AppStore } from '../../../renderer/src/store/store';
import type { RealApi } from '../real-api';
import { mountApp, stubLayout, unmountApp } from '../mount-app';

beforeAll(stubLayout);

let api: RealApi;
let store: AppStore;
const downloads: Array<{ name: string; text: Promise<string> }> = [];

async function mount() {
  ({ api, store } = await mountApp());
}

const flush = () => act(async () => await new Promise((r) => setTimeout(r, 0)));
const toolbar = () => document.querySelector<HTMLElement>('header.toolbar')!;

async function goToRecordings() {
  fireEvent.click(screen.getByRole('button', { name: 'Recordings' }));
  await flush();
}

beforeEach(async () => {
  downloads.length = 0;
  // jsdom has no object URLs: record what would be downloaded.
  let n = 0;
  URL.createObjectURL = (blob: Blob) => `blob:test/${++n}#${(downloads.push({ name: '', text: blob.text() }), n)}`;
  URL.revokeObjectURL = () => {};
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    const d = downloads[downloads.length - 1];
    if (d) d.name = this.download;
  };
  await mount();
});
afterEach(() => unmountApp(api, store));

const turnEnds = () =>
  api.pushes.flatMap((p) => (p.channel === 'main:session.events' ? (p.payload as { events: SessionEvent[] }).events : [])).filter((e) => e.type === 'turn.end').length;

/** One real demo turn in the window's session, waited for by its turn.end push. */
async function realTurn(input: string, scenario: ScenarioName = 'happy'): Promise<void> {
  const before = turnEnds();
  await act(async () => {
    await api.invoke('renderer:turn.start', { sessionId: api.sessionId, input, scenario });
    await api.changes.until(() => turnEnds() > before, `the turn end of "${input}"`);
  });
}

/** A real cassette: recorded from real demo turns by the real service, renamed to `name`. */
async function realRecording(name: string, turns: Array<[string, ScenarioName?]>): Promise<void> {
  const { id } = await api.invoke('renderer:recording.start', { sessionId: api.sessionId });
  for (const [input, scenario] of turns) await realTurn(input, scenario);
  await api.invoke('renderer:recording.stop', { sessionId: api.sessionId });
  await api.invoke('renderer:recordings.rename', { id, name });
}
/** The DOM reaching a state after real round trips to main (a MutationObserver wait, bounded). */
const settled = (check: () => void) => waitFor(check, { timeout: 10_000 });
const entryOf = async (name: string) => (await api.invoke('renderer:recordings.list', {})).recordings.find((r) => r.name === name)!;

describe('record toggle', () => {
  it('starts recording the open session, shows ● REC with the file name, and stops', async () => {
    const button = within(toolbar()).getByRole('button', { name: /^● (Record|REC)/ });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    await act(async () => fireEvent.click(button));
    await settled(() => expect(button.getAttribute('aria-pressed')).toBe('true'));
    expect(api.calls.find((c) => c.channel === 'renderer:recording.start')?.request).toEqual({ sessionId: api.sessionId });
    const name = store.getState().recordings.active?.name;
    expect(name).toMatch(/^demo-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    expect(button.textContent).toBe(`● REC ${name}`);
    expect(button.getAttribute('aria-pressed')).toBe('true');
    await realTurn('hello');
    await act(async () => fireEvent.click(button));
    await settled(() => expect(button.textContent).toBe('● Record'));
    expect(api.calls.filter((c) => c.channel === 'renderer:recording.stop')).toHaveLength(1);
    await goToRecordings();
    await settled(() => expect(screen.getByRole('status').textContent).toBe(`Saved ${name} (1 turn)`));
  });

  it('records redacted when "Record redacted" is ticked in the Recordings tab', async () => {
    await goToRecordings();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Record redacted' }));
    await act(async () => fireEvent.click(within(toolbar()).getByRole('button', { name: /^● (Record|REC)/ })));
    await settled(() => expect(api.calls.find((c) => c.channel === 'renderer:recording.start')?.request).toEqual({ sessionId: api.sessionId, redact: true }));
  });

  it('a recording of a replaced session no longer shows as running', async () => {
    const rec = within(toolbar()).getByRole('button', { name: /^● (Record|REC)/ });
    await act(async () => fireEvent.click(rec));
    await settled(() => expect(rec.getAttribute('aria-pressed')).toBe('true'));
    const first = api.sessionId;
    await act(() => store.getState().session.open('demo'));
    expect(api.sessionId).not.toBe(first);
    expect(within(toolbar()).getByRole('button', { name: /^● (Record|REC)/ }).textContent).toBe('● Record');
  });
});

describe('recordings view', () => {
  const MARKUP = 'pay <b>now</b>';
  beforeEach(async () => {
    await realRecording('alpha', [[MARKUP], ['second', 'pii']]);
    await realRecording('beta', [[MARKUP, 'pii']]);
    await act(() => store.getState().recordings.load());
    await goToRecordings();
  });

  const table = () => screen.getByRole('table', { name: 'Recordings' });
  const row = (name: string) => within(table()).getByText(name).closest('tr')!;

  it('lists name, date, turns and size, and opens a recording read-only with text shown as text', async () => {
    const r = row('alpha');
    expect(within(r).getByText('2')).toBeTruthy();
    const bytes = (await entryOf('alpha')).size;
    expect(within(r).getByText(bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`)).toBeTruthy();
    await act(async () => fireEvent.click(within(r).getByRole('button', { name: 'Open' })));
    const detail = await screen.findByRole('region', { name: 'Recording alpha' }, { timeout: 10_000 });
    expect(within(detail).getAllByRole('listitem')).toHaveLength(2);
    // Markup in recorded text (the demo quotes the input) stays text.
    expect(within(detail).getAllByText(MARKUP, { exact: false }).length).toBeGreaterThan(0);
    expect(detail.querySelector('b')).toBeNull();
    // The second turn's filtered text has the card masked; its raw text has the number.
    expect(detail.textContent).toContain('[CREDIT_CARD]');
    expect(detail.textContent).toContain('4111 1111 1111 1111');
    // Raw, then Filtered: the order of the session's lanes.
    expect([...detail.querySelectorAll('.rec-texts h3')].slice(0, 2).map((h) => h.textContent)).toEqual(['Raw', 'Filtered']);
  });

  it('renames inline, and a clash shows the error', async () => {
    fireEvent.click(within(row('alpha')).getByRole('button', { name: 'Rename' }));
    const input = screen.getByRole('textbox', { name: 'New name' });
    fireEvent.change(input, { target: { value: 'beta' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect((await screen.findByRole('alert', undefined, { timeout: 10_000 })).textContent).toMatch(/a recording named "beta" already exists/);
    fireEvent.change(input, { target: { value: 'gamma' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(await within(table()).findByText('gamma', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(api.calls.filter((c) => c.channel === 'renderer:recordings.rename').at(-1)?.request).toEqual({ id: 'alpha.jsonl', name: 'gamma' });
    expect(within(table()).queryByText('alpha')).toBeNull();
  });

  it('deletes only after the inline confirmation', async () => {
    fireEvent.click(within(row('beta')).getByRole('button', { name: 'Delete' }));
    expect(api.calls.some((c) => c.channel === 'renderer:recordings.delete')).toBe(false);
    fireEvent.click(within(row('beta')).getByRole('button', { name: 'No' }));
    fireEvent.click(within(row('beta')).getByRole('button', { name: 'Delete' }));
    await act(async () => fireEvent.click(within(row('beta')).getByRole('button', { name: 'Yes, delete' })));
    // The delete is a real round trip: the row going away is its end.
    await settled(() => expect(within(table()).queryByText('beta')).toBeNull());
    expect((await api.invoke('renderer:recordings.list', {})).recordings.map((e) => e.name)).toEqual(['alpha']);
  });

  it('exports as a download and imports from a file input; a corrupt file shows the error naming the line', async () => {
    await act(async () => fireEvent.click(within(row('alpha')).getByRole('button', { name: 'Export' })));
    await settled(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]!.name).toBe('alpha.jsonl');
    const exported = await downloads[0]!.text;
    expect(exported).toBe(readFileSync(join(api.dataDir, 'recordings', 'alpha.jsonl'), 'utf8'));

    const input = screen.getByLabelText<HTMLInputElement>('Import recording');
    const good = new File([exported], 'shared.jsonl');
    fireEvent.change(input, { target: { files: [good] } });
    // The file is read asynchronously; the imported row appearing is the end of it.
    expect(await within(table()).findByText('shared', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(api.calls.find((c) => c.channel === 'renderer:recordings.import')?.request).toEqual({ fileName: 'shared.jsonl', content: exported });
    const bad = new File(['garbage'], 'bad.jsonl');
    fireEvent.change(input, { target: { files: [bad] } });
    const alert = await screen.findByRole('alert', undefined, { timeout: 10_000 });
    expect(alert.textContent).toMatch(/cannot import: bad\.jsonl: line 1: truncated header \(file ends mid-line\): not a complete cassette/);
    // Browser mode: a file over the bridge's message cap is refused with a reason, and never sent.
    const calls = api.calls.length;
    await act(() => store.getState().recordings.importText('huge.jsonl', 'x'.repeat(1024 * 1024)));
    expect(screen.getByRole('alert').textContent).toMatch(/huge\.jsonl is too large to import in browser mode/);
    expect(api.calls.slice(calls).some((c) => c.channel === 'renderer:recordings.import')).toBe(false);
  });

  it('diffs two selected recordings side by side with removed and added parts marked', async () => {
    const diffButton = screen.getByRole<HTMLButtonElement>('button', { name: /Diff selected/ });
    expect(diffButton.disabled).toBe(true);
    // alpha's first turn is the happy answer to MARKUP, beta's the PII answer to the same input.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select alpha for diff' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select beta for diff' }));
    await act(async () => fireEvent.click(diffButton));
    expect(api.calls.find((c) => c.channel === 'renderer:recordings.diff')?.request).toEqual({ a: 'alpha.jsonl', b: 'beta.jsonl' });
    const view = await screen.findByRole('region', { name: 'Recording diff' });
    expect(within(view).getByText('differences found')).toBeTruthy();
    const del = [...view.querySelectorAll('del.diff-del')].map((d) => d.textContent).join('');
    const ins = [...view.querySelectorAll('ins.diff-ins')].map((d) => d.textContent).join('');
    // The filtered texts are compared: beta's masked card is new in turn 1, alpha's words are gone.
    expect(del.trim()).not.toBe('');
    expect(ins).toMatch(/\[CREDIT_CARD\]/);
    // The input's markup stays text in both columns.
    expect(view.querySelector('b')).toBeNull();
    expect(within(view).getByText(/\+ CREDIT_CARD \(mask\) raw \d+–\d+/)).toBeTruthy();
    expect(within(view).getAllByText(/^[+-]\d+ ms$/).length).toBeGreaterThan(0);
    // A third pick replaces the oldest one.
    await realRecording('gamma', [['third']]);
    await act(() => store.getState().recordings.load());
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select gamma for diff' }));
    expect(store.getState().recordings.selected).toEqual(['beta.jsonl', 'gamma.jsonl']);
  });
});

describe('relay toggle', () => {
  it('starts the relay for the selected environment and shows its URL, then stops it', async () => {
    const button = within(toolbar()).getByRole('button', { name: 'Relay' });
    await act(async () => fireEvent.click(button));
    expect(api.calls.find((c) => c.channel === 'renderer:relay.start')?.request).toEqual({ environment: 'demo', sessionId: api.sessionId }); // the window's own session: relayed turns show in its lanes
    const url = (await screen.findByRole<HTMLInputElement>('textbox', { name: 'Relay URL' }, { timeout: 10_000 })).value;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    // A real relay is listening there.
    expect((await fetch(url)).status).toBeLessThan(500);
    await act(async () => fireEvent.click(within(toolbar()).getByRole('button', { name: 'Relay on' })));
    await settled(() => expect(screen.queryByRole('textbox', { name: 'Relay URL' })).toBeNull());
    // And it really stopped listening.
    await expect(fetch(url)).rejects.toThrow();
  });
});
