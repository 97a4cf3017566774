// Issue 13: while a long answer streams, only the lanes (and the live hold-back) follow the token batches.
// Every other panel subscribes to the narrowest slice it shows, so a batch re-renders none of them — counted
// with React's Profiler around each panel, tab by tab, while a second turn streams 30 batches.
import { act, cleanup, render } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { boot, createAppStore, StoreProvider, type AppStore } from '../../../renderer/src/store/store';
import type { DetailsTab } from '../../../renderer/src/store/ui-slice';
import { App } from '../../../renderer/src/views/App';
import { DetailsPanel } from '../../../renderer/src/views/details/DetailsPanel';
import { Composer } from '../../../renderer/src/views/session/Composer';
import { Lanes } from '../../../renderer/src/views/session/Lanes';
import { createRealApi, type RealApi } from '../real-api';
import { end, filtered, start, textToken } from '../events';

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 800 });
});

let store: AppStore | undefined;
let api: RealApi | undefined;
afterEach(async () => {
  cleanup();
  store?.dispose();
  await api?.close();
  localStorage.clear();
});

const usage = (turnId: string) => ({
  type: 'usage' as const,
  turnId,
  at: 5,
  estimated: { prompt: 8, completion: 3, total: 11 },
  encoding: 'o200k_base' as const,
  driftFlagged: false,
  source: 'estimated' as const,
});

type Emit = (events: Parameters<RealApi['emit']>[0]) => Promise<void>;

/**
 * Boots the rendered store, then pushes (as main's batcher would, into the session the store opened) a
 * finished turn (usage, a hit) and the start of the next one, shown on the tab under test.
 */
async function bootWithTwoTurns(real: RealApi, tab: DetailsTab): Promise<Emit> {
  await act(() => boot(store!));
  const emit: Emit = (events) => act(async () => real.emit(events));
  await emit([start('turn-1', 'first'), ...textToken('turn-1', 0, 'Hello there.', 0, 1), filtered('turn-1', 0, 'Hello there.'), usage('turn-1'), end('turn-1', 'complete', 12)]);
  await emit([start('turn-2', 'second')]);
  await act(async () => {
    store!.getState().ui.select('turn-2');
    store!.getState().ui.setTab(tab);
  });
  return emit;
}

/** 30 batches of 20 tokens into turn-2 (600 tokens), each with what `extra` adds for its batch. */
async function streamBatches(emit: Emit, extra: (batch: number) => Parameters<RealApi['emit']>[0] = () => []): Promise<void> {
  let pos = 0;
  for (let b = 0; b < 30; b++) {
    const batch = [];
    for (let k = 0; k < 20; k++) {
      const text = `w${b}-${k} `;
      batch.push(...textToken('turn-2', b * 20 + k, text, pos, 100 + b * 20 + k));
      pos += text.length;
    }
    batch.push(...extra(b));
    await emit(batch);
  }
}

async function streamSecondTurn(tab: DetailsTab) {
  const real = (api = createRealApi());
  store = createAppStore(real);
  const renders = { details: 0, composer: 0, lanes: 0 };
  const count = (id: string) => () => void (renders[id as keyof typeof renders] += 1);
  render(
    <StoreProvider store={store}>
      <Profiler id="composer" onRender={count('composer')}>
        <Composer />
      </Profiler>
      <Profiler id="lanes" onRender={count('lanes')}>
        <Lanes />
      </Profiler>
      <Profiler id="details" onRender={count('details')}>
        <DetailsPanel />
      </Profiler>
    </StoreProvider>,
  );
  const emit = await bootWithTwoTurns(real, tab);
  const before = { ...renders };
  await streamBatches(emit);
  return { details: renders.details - before.details, composer: renders.composer - before.composer, lanes: renders.lanes - before.lanes };
}

describe('render scope while a turn streams', () => {
  for (const tab of ['inspector', 'usage', 'sync', 'issues'] as const) {
    it(`30 token batches re-render the lanes but not the details panel (${tab} tab) nor the composer`, async () => {
      const r = await streamSecondTurn(tab);
      expect(r.lanes).toBeGreaterThanOrEqual(30);
      expect(r.composer).toBe(0);
      expect(r.details).toBe(0);
    });
  }

  it('the timing chart of a streaming turn is redrawn per 500 tokens, not per batch (600 tokens: once)', async () => {
    const r = await streamSecondTurn('timing');
    expect(r.lanes).toBeGreaterThanOrEqual(30);
    expect(r.composer).toBe(0);
    expect(r.details).toBe(1);
  });
});

describe('render scope of the whole window', () => {
  for (const tab of ['inspector', 'timing', 'usage', 'sync', 'issues'] as const) {
    it(`30 token batches commit the lanes and the live hold-back only: no other named part of the window, the outbox count beside the hold-back neither (${tab} tab)`, async () => {
      const real = (api = createRealApi());
      store = createAppStore(real);
      render(
        <StoreProvider store={store}>
          <App />
        </StoreProvider>,
      );
      const emit = await bootWithTwoTurns(real, tab);
      // The parts views/Counted.tsx names (React's development build calls their Profilers too).
      const before = { ...window.__renderCounts };
      // As the filter reports it: a hold-back that changes with every batch.
      await streamBatches(emit, (b) => [filtered('turn-2', 0, '', [], 1 + (b % 7), ['EMAIL_ADDRESS'])]);
      const after = window.__renderCounts ?? {};
      const grew = Object.keys(after)
        .filter((id) => (after[id] ?? 0) > (before[id] ?? 0))
        .sort();
      expect(after.lanes! - (before.lanes ?? 0)).toBeGreaterThanOrEqual(30);
      // The timing chart is redrawn per 500 tokens (600 here: once), never per batch.
      const expected = tab === 'timing' ? ['DetailsPanel', 'DetailsPanel.timing', 'HoldbackStrip.holdback', 'lanes'] : ['HoldbackStrip.holdback', 'lanes'];
      expect(grew).toEqual(expected);
      expect(after['HoldbackStrip.holdback']! - (before['HoldbackStrip.holdback'] ?? 0)).toBeGreaterThanOrEqual(30);
      if (tab === 'timing') expect(after['DetailsPanel.timing']! - before['DetailsPanel.timing']!).toBe(1);
    });
  }
});
