// One honest turn status in the session view: a damaged answer is never shown as complete and its gap is
// marked in the text where it happened; cancelling is not an error; the end user is described once.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, createAppStore, StoreProvider, type AppStore } from '../../../renderer/src/store/store';
import { App } from '../../../renderer/src/views/App';
import { createFakeApi, type FakeApi } from '../fake-api';
import { end, filtered, start, textToken } from '../events';

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 800 });
});

let api: FakeApi;
let store: AppStore;
beforeEach(async () => {
  api = createFakeApi();
  store = createAppStore(api);
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  await act(() => boot(store));
});
afterEach(() => {
  cleanup();
  store.dispose();
  localStorage.clear();
});

const emit = (events: Parameters<FakeApi['emit']>[0]) => act(async () => api.emit(events));
const lane = (name: string) => screen.getByRole('region', { name });

describe('a damaged turn', () => {
  it('is badged damaged, not complete, and the gap is marked in both lanes where the frames went missing', async () => {
    await emit([
      start('turn-1', 'gap?', 'seq-gap'),
      ...textToken('turn-1', 0, 'First part. ', 0, 10, { seq: 0 }),
      { type: 'frame.issue', turnId: 'turn-1', at: 20, kind: 'seq-gap', detail: 'frame 2: seq 2 arrived but seq 1 is missing', seq: 2, expectedSeq: 1, position: 12 },
      ...textToken('turn-1', 1, 'Last part.', 12, 30, { seq: 2 }),
      filtered('turn-1', 0, 'First part. Last part.'),
      end('turn-1', 'damaged', 22, { damage: [{ kind: 'seq-gap', count: 1, firstPosition: 12 }] }),
    ]);
    for (const name of ['Raw tokens', 'Filtered tokens']) {
      const l = lane(name);
      expect(l.querySelector('.row-head .badge')?.textContent).toBe('damaged');
      expect(l.textContent).not.toMatch(/complete/);
      const mark = l.querySelector('.gap-mark')!;
      expect(mark.getAttribute('aria-label')).toBe('gap: frames never received here (seq 1 missing)');
      // Right between the two parts, and not part of the copied text.
      expect(mark.previousElementSibling?.textContent).toBe('First part. ');
      expect(mark.nextElementSibling?.textContent).toBe('Last part.');
      expect(mark.textContent).toBe('');
    }
    expect(lane('Raw tokens').textContent).toMatch(/damaged · .*1 sequence gap \(frames never received\)/);
    expect(lane('Filtered tokens').textContent).toMatch(/the end user received 22 characters of the answer, with the damaged parts missing/);
    fireEvent.click(screen.getByRole('tab', { name: /Issues/ }));
    expect(screen.getByText(/Damaged answer: the stream ended, but 1 sequence gap \(frames never received\); marked in the text/)).toBeTruthy();
  });

  it('an undecodable character is marked where it is', async () => {
    await emit([
      start('turn-1'),
      ...textToken('turn-1', 0, 'ab\uFFFDcd', 0, 10),
      { type: 'frame.issue', turnId: 'turn-1', at: 10, kind: 'invalid-utf8', detail: 'invalid UTF-8: 1 byte(s) at byte 2', position: 2 },
      filtered('turn-1', 0, 'ab\uFFFDcd'),
      end('turn-1', 'damaged', 5, { damage: [{ kind: 'invalid-utf8', count: 1, firstPosition: 2 }] }),
    ]);
    const bad = lane('Raw tokens').querySelector('.damaged') as HTMLElement;
    expect(bad.textContent).toBe('\uFFFD');
    expect(bad.title).toMatch(/invalid UTF-8/);
  });
});

describe('a cancelled turn', () => {
  it('is neutral: no error styling, no fallback line about the end user seeing an error', async () => {
    await emit([start('turn-1'), ...textToken('turn-1', 0, 'Hel', 0, 10), filtered('turn-1', 0, 'Hel'), end('turn-1', 'cancelled', 3, { cause: 'cancelled' })]);
    const raw = lane('Raw tokens');
    const filteredLane = lane('Filtered tokens');
    expect(raw.querySelector('.row-head .badge')?.className).toBe('badge st-cancelled');
    expect(raw.querySelectorAll('.err, .cause')).toHaveLength(0);
    expect(filteredLane.textContent).not.toMatch(/unexpected error|end user sees|fallback/);
    expect(filteredLane.textContent).toMatch(/cancelled by you after 3 characters of the answer had been released/);
  });
});

describe('a blocked turn', () => {
  it('says once what the end user received: the released text, then the fallback', async () => {
    await emit([
      start('turn-1'),
      ...textToken('turn-1', 0, 'Sure, the word is ', 0, 10),
      filtered('turn-1', 0, 'Sure, the word is '),
      { type: 'error', turnId: 'turn-1', at: 40, cause: 'content_filtered', message: 'the answer was blocked by the filter policy (PROFANITY)', fallback: 'Withheld.' },
      end('turn-1', 'blocked', 18, { cause: 'content_filtered' }),
    ]);
    const text = lane('Filtered tokens').textContent;
    expect(text.match(/the end user received/g)).toHaveLength(1);
    expect(text).toContain('the end user received 18 characters of the answer, then the fallback "Withheld."');
    expect(text).not.toMatch(/chars released|withheld/);
  });
});
