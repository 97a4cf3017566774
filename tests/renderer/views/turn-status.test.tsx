// One honest turn status in the session view: a damaged answer is never shown as complete and its gap is
// marked in the text where it happened; cancelling is not an error; the end user is described once.
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppStore } from '../../../renderer/src/store/store';
import type { RealApi } from '../real-api';
import { emitInto, lane, mountApp, stubLayout, unmountApp } from '../mount-app';
import { end, filtered, start, textToken } from '../events';

beforeAll(stubLayout);

let api: RealApi;
let store: AppStore;
beforeEach(async () => {
  ({ api, store } = await mountApp());
});
afterEach(() => unmountApp(api, store));

const emit = (events: Parameters<RealApi['emit']>[0]) => emitInto(api, events);

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

describe('timing of a turn that died of silence', () => {
  it('shows the final silence as a stall with its length, and tokens/s over the wall time', async () => {
    await emit([
      start('turn-1', 'stall?', 'stall'),
      ...textToken('turn-1', 0, 'One', 0, 100),
      ...textToken('turn-1', 1, ' two', 3, 120),
      ...textToken('turn-1', 2, ' three', 7, 140),
      filtered('turn-1', 0, 'One two three'),
      { type: 'error', turnId: 'turn-1', at: 30_140, cause: 'timeout', message: 'no frame for 30 s', fallback: 'Latency.' },
      end('turn-1', 'partial', 13, { cause: 'timeout', ttftMs: 100, durationMs: 30_140, tokenCount: 3 }),
    ]);
    fireEvent.click(screen.getByRole('tab', { name: 'Timing' }));
    expect(screen.getByText(/stall after token 2: 30\.00 s of silence, ended in the timeout/)).toBeTruthy();
    expect(screen.getByText(/1 ⚠ \(longest 30\.00 s\)/)).toBeTruthy();
    const rate = screen.getByText('Tokens/s (wall time)').nextElementSibling!;
    expect(rate.textContent).toBe('0.1');
  });
});

describe('sync: outbox, Issues and the timeline', () => {
  it('the header counts failed syncs too, a failed sync shows in Issues, and no text names an internal function', async () => {
    await emit([
      start('turn-1'),
      ...textToken('turn-1', 0, 'ok', 0, 10),
      filtered('turn-1', 0, 'ok'),
      end('turn-1', 'complete', 2),
      { type: 'sync', turnId: 'turn-1', at: 20, syncId: 's1', target: 'gateway-variables', state: 'queued', attempt: 0 },
      { type: 'sync', turnId: 'turn-1', at: 21, syncId: 's1', target: 'gateway-variables', state: 'failed', attempt: 1, cause: 'bad_request', detail: 'HTTP 400; not retried' },
    ]);
    await act(async () => api.push('main:sync.outbox', { sessionId: api.sessionId, pending: 1, failed: 1 }));
    expect(screen.getByRole('status', { name: 'Hold-back' }).textContent).toContain('Outbox: 2 (1 pending, 1 failed)');
    fireEvent.click(screen.getByRole('tab', { name: /Issues/ }));
    expect(screen.getByText('sync failed').closest('li')!.textContent).toMatch(/dialog variables · bad request.*HTTP 400; not retried.*Retry now in the Sync tab/);
    expect(document.body.textContent).not.toMatch(/retryNow/);
  });

  it('a retry step keeps saying "retrying in N s (cause)" after the next attempt started', async () => {
    const now = Date.now();
    await emit([
      start('turn-1'),
      end('turn-1', 'complete', 0),
      { type: 'sync', turnId: 'turn-1', at: 20, syncId: 's1', target: 'gateway-variables', state: 'retrying', attempt: 1, nextAttemptAt: now + 3000, cause: 'rate_limited' },
      { type: 'sync', turnId: 'turn-1', at: 21, syncId: 's1', target: 'gateway-variables', state: 'sending', attempt: 2 },
    ]);
    fireEvent.click(screen.getByRole('tab', { name: /Sync/ }));
    expect(screen.getByRole('list', { name: /sync timeline/ }).textContent).toMatch(/retrying in [23]\.\d s \(rate_limited\)sending #2/);
  });
});

describe('usage', () => {
  it('fills the session drift cell, names the encoding the estimates used, and flags a prompt drift', async () => {
    const usage = (turnId: string, reported: { prompt: number; completion: number; total: number }, estimated: typeof reported) =>
      ({ type: 'usage', turnId, at: 90, reported, estimated, encoding: 'o200k_base', drift: 0, driftFlagged: reported.prompt !== estimated.prompt, source: 'reported' }) as const;
    await emit([
      start('turn-1'),
      usage('turn-1', { prompt: 40, completion: 10, total: 50 }, { prompt: 8, completion: 42, total: 50 }),
      end('turn-1', 'complete', 0),
      start('turn-2'),
      usage('turn-2', { prompt: 8, completion: 42, total: 50 }, { prompt: 8, completion: 42, total: 50 }),
      end('turn-2', 'complete', 0),
    ]);
    fireEvent.click(screen.getByRole('tab', { name: 'Usage' }));
    const table = screen.getByRole('table');
    expect(table.querySelector('thead')!.textContent).toContain('estimated · o200k_base');
    const [one, two] = [...table.querySelectorAll('tbody tr')].map((r) => r.lastElementChild!.textContent);
    expect(one).toBe('0.0 % · prompt 80.0 % · completion 320.0 % ⚠');
    expect(two).toBe('0.0 %');
    expect(table.querySelector('tfoot tr')!.lastElementChild!.textContent).toBe('0.0 % · prompt 66.7 % · completion 61.5 % ⚠');
  });
});
