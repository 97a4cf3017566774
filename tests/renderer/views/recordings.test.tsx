import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CassetteDiffData } from '../../../shared/recordings-ipc';
import { boot, createAppStore, StoreProvider, type AppStore } from '../../../renderer/src/store/store';
import { App } from '../../../renderer/src/views/App';
import { createFakeApi, fakeRecording, type FakeApi } from '../fake-api';

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 800 });
});

let api: FakeApi;
let store: AppStore;
const downloads: Array<{ name: string; text: Promise<string> }> = [];

async function mount() {
  api = createFakeApi();
  store = createAppStore(api);
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  await act(() => boot(store));
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
afterEach(() => {
  cleanup();
  store.dispose();
  localStorage.clear();
});

describe('record toggle', () => {
  it('starts recording the open session, shows ● REC with the file name, and stops', async () => {
    const button = within(toolbar()).getByRole('button', { name: /^● (Record|REC)/ });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    await act(async () => fireEvent.click(button));
    expect(api.calls.find((c) => c.channel === 'renderer:recording.start')?.request).toEqual({ sessionId: 'session-1' });
    expect(button.textContent).toBe('● REC demo-rec-1');
    expect(button.getAttribute('aria-pressed')).toBe('true');
    await act(async () => fireEvent.click(button));
    expect(api.calls.filter((c) => c.channel === 'renderer:recording.stop')).toHaveLength(1);
    expect(button.textContent).toBe('● Record');
    await goToRecordings();
    expect(screen.getByRole('status').textContent).toBe('Saved demo-rec-1 (1 turn)');
  });

  it('records redacted when "Record redacted" is ticked in the Recordings tab', async () => {
    await goToRecordings();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Record redacted' }));
    await act(async () => fireEvent.click(within(toolbar()).getByRole('button', { name: /^● (Record|REC)/ })));
    expect(api.calls.find((c) => c.channel === 'renderer:recording.start')?.request).toEqual({ sessionId: 'session-1', redact: true });
  });

  it('a recording of a replaced session no longer shows as running', async () => {
    await act(async () => fireEvent.click(within(toolbar()).getByRole('button', { name: /^● (Record|REC)/ })));
    api.sessionId = 'session-2';
    await act(() => store.getState().session.open('demo'));
    expect(within(toolbar()).getByRole('button', { name: /^● (Record|REC)/ }).textContent).toBe('● Record');
  });
});

describe('recordings view', () => {
  beforeEach(async () => {
    api.recordings.set('alpha.jsonl', fakeRecording('alpha.jsonl', 2, '{"format":"alpha"}\n'));
    api.recordings.set('beta.jsonl', fakeRecording('beta.jsonl', 1));
    await goToRecordings();
  });

  const table = () => screen.getByRole('table', { name: 'Recordings' });
  const row = (name: string) => within(table()).getByText(name).closest('tr')!;

  it('lists name, date, turns and size, and opens a recording read-only with text shown as text', async () => {
    const r = row('alpha');
    expect(within(r).getByText('2')).toBeTruthy();
    expect(within(r).getByText('19 B')).toBeTruthy();
    await act(async () => fireEvent.click(within(r).getByRole('button', { name: 'Open' })));
    const detail = screen.getByRole('region', { name: 'Recording alpha' });
    expect(within(detail).getAllByRole('listitem')).toHaveLength(2);
    // Markup in recorded text stays text.
    expect(within(detail).getByText('raw <b>0</b> 4111 1111 1111 1111')).toBeTruthy();
    expect(detail.querySelector('b')).toBeNull();
    expect(within(detail).getByText('filtered 1 [card]')).toBeTruthy();
    // Raw, then Filtered: the order of the session's lanes.
    expect([...detail.querySelectorAll('.rec-texts h3')].slice(0, 2).map((h) => h.textContent)).toEqual(['Raw', 'Filtered']);
  });

  it('renames inline, and a clash shows the error', async () => {
    fireEvent.click(within(row('alpha')).getByRole('button', { name: 'Rename' }));
    const input = screen.getByRole('textbox', { name: 'New name' });
    fireEvent.change(input, { target: { value: 'beta' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(screen.getByRole('alert').textContent).toMatch(/a recording named "beta" already exists/);
    fireEvent.change(input, { target: { value: 'gamma' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(api.calls.filter((c) => c.channel === 'renderer:recordings.rename').at(-1)?.request).toEqual({ id: 'alpha.jsonl', name: 'gamma' });
    expect(within(table()).getByText('gamma')).toBeTruthy();
    expect(within(table()).queryByText('alpha')).toBeNull();
  });

  it('deletes only after the inline confirmation', async () => {
    fireEvent.click(within(row('beta')).getByRole('button', { name: 'Delete' }));
    expect(api.calls.some((c) => c.channel === 'renderer:recordings.delete')).toBe(false);
    fireEvent.click(within(row('beta')).getByRole('button', { name: 'No' }));
    fireEvent.click(within(row('beta')).getByRole('button', { name: 'Delete' }));
    await act(async () => fireEvent.click(within(row('beta')).getByRole('button', { name: 'Yes, delete' })));
    expect(api.recordings.has('beta.jsonl')).toBe(false);
    expect(within(table()).queryByText('beta')).toBeNull();
  });

  it('exports as a download and imports from a file input; a corrupt file shows the error naming the line', async () => {
    await act(async () => fireEvent.click(within(row('alpha')).getByRole('button', { name: 'Export' })));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.name).toBe('alpha.jsonl');
    expect(await downloads[0]!.text).toBe('{"format":"alpha"}\n');

    const input = screen.getByLabelText<HTMLInputElement>('Import recording');
    const good = new File(['{"format":"imported"}\n'], 'shared.jsonl');
    fireEvent.change(input, { target: { files: [good] } });
    // The file is read asynchronously; the imported row appearing is the end of it.
    expect(await within(table()).findByText('shared')).toBeTruthy();
    expect(api.calls.find((c) => c.channel === 'renderer:recordings.import')?.request).toEqual({ fileName: 'shared.jsonl', content: '{"format":"imported"}\n' });
    const bad = new File(['garbage'], 'bad.jsonl');
    fireEvent.change(input, { target: { files: [bad] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/bad\.jsonl: line 1: not a cassette header/);
    // Browser mode: a file over the bridge's message cap is refused with a reason, and never sent.
    const calls = api.calls.length;
    await act(() => store.getState().recordings.importText('huge.jsonl', 'x'.repeat(1024 * 1024)));
    expect(screen.getByRole('alert').textContent).toMatch(/huge\.jsonl is too large to import in browser mode/);
    expect(api.calls.slice(calls).some((c) => c.channel === 'renderer:recordings.import')).toBe(false);
  });

  it('diffs two selected recordings side by side with removed and added parts marked', async () => {
    const diffButton = screen.getByRole<HTMLButtonElement>('button', { name: /Diff selected/ });
    expect(diffButton.disabled).toBe(true);
    const diff: CassetteDiffData = {
      same: false,
      headerChanges: ['scenario: happy → pii'],
      turnCount: { a: 1, b: 1 },
      notes: [],
      turns: [
        {
          index: 0,
          same: false,
          input: { a: 'hi', b: 'hi', same: true },
          status: { a: 'complete', b: 'complete', same: true },
          raw: { same: false, a: 'pay 1234 now', b: 'pay <i>4111</i> now', similarity: 0.7, patch: 'x', parts: [{ value: 'pay ' }, { value: '1234', removed: true }, { value: '<i>4111</i>', added: true }, { value: ' now' }] },
          filtered: { same: true, a: 'pay [card] now', b: 'pay [card] now', similarity: 1, patch: '', parts: [] },
          tokens: { a: 3, b: 4, same: false, added: [5], removed: [] },
          hits: { added: [{ type: 'credit_card', action: 'mask', rawStart: 4, rawEnd: 15, outStart: 4, outEnd: 10 }], gone: [], same: 0 },
          errors: { a: [], b: [], same: true },
          leaks: { a: 0, b: 0 },
          timing: { ttftMs: { a: 100, b: 150, delta: 50 }, durationMs: { a: 400, b: 380, delta: -20 } },
          usage: { prompt: { a: 10, b: 10, delta: 0 }, completion: { a: 5, b: 7, delta: 2 }, total: { a: 15, b: 17, delta: 2 }, same: false },
        },
      ],
    };
    api.diff = diff;
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select alpha for diff' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select beta for diff' }));
    await act(async () => fireEvent.click(diffButton));
    expect(api.calls.find((c) => c.channel === 'renderer:recordings.diff')?.request).toEqual({ a: 'alpha.jsonl', b: 'beta.jsonl' });
    const view = screen.getByRole('region', { name: 'Recording diff' });
    expect(within(view).getByText('differences found')).toBeTruthy();
    expect(within(view).getByText('scenario: happy → pii')).toBeTruthy();
    const del = view.querySelector('del.diff-del')!;
    const ins = view.querySelector('ins.diff-ins')!;
    expect(del.textContent).toBe('1234');
    expect(ins.textContent).toBe('<i>4111</i>');
    expect(view.querySelector('i')).toBeNull();
    expect(within(view).getByText(/\+ credit_card \(mask\) raw 4–15/)).toBeTruthy();
    expect(within(view).getByText('+50 ms')).toBeTruthy();
    expect(within(view).getByText('-20 ms')).toBeTruthy();
    // A third pick replaces the oldest one.
    api.recordings.set('gamma.jsonl', fakeRecording('gamma.jsonl'));
    await act(() => store.getState().recordings.load());
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select gamma for diff' }));
    expect(store.getState().recordings.selected).toEqual(['beta.jsonl', 'gamma.jsonl']);
  });
});

describe('relay toggle', () => {
  it('starts the relay for the selected environment and shows its URL, then stops it', async () => {
    const button = within(toolbar()).getByRole('button', { name: 'Relay' });
    await act(async () => fireEvent.click(button));
    expect(api.calls.find((c) => c.channel === 'renderer:relay.start')?.request).toEqual({ environment: 'demo', sessionId: 'session-1' }); // the window's own session: relayed turns show in its lanes
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Relay URL' }).value).toBe('http://127.0.0.1:43210');
    await act(async () => fireEvent.click(within(toolbar()).getByRole('button', { name: 'Relay on' })));
    expect(screen.queryByRole('textbox', { name: 'Relay URL' })).toBeNull();
  });
});
