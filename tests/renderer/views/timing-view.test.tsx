// The Timing tab: its figures survive a tab switch without going stale (they follow the turn's redraw steps,
// the turn's end and the stall threshold), and the gap chart reads out the bar under the pointer.
import { fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import type { AppStore } from '../../../renderer/src/store/store';
import type { RealApi } from '../real-api';
import { emitInto, mountApp, stubLayout, unmountApp } from '../mount-app';
import { end, start, textToken } from '../events';

beforeAll(stubLayout);

let api: RealApi;
let store: AppStore;
beforeEach(async () => {
  ({ api, store } = await mountApp());
});
afterEach(() => unmountApp(api, store));

const emit = (events: SessionEvent[]) => emitInto(api, events);
const figure = (label: string) => screen.getByText(label).nextElementSibling!.textContent;
const tab = (name: string) => fireEvent.click(screen.getByRole('tab', { name: new RegExp(`^${name}`) }));

/** Tokens `from`..`to - 1` of one character each, 10 ms apart, except token 8: 1,500 ms after token 7. */
function tokens(from: number, to: number): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (let i = from; i < to; i++) out.push(...textToken('turn-1', i, 'x', i, 100 + i * 10 + (i >= 8 ? 1_490 : 0)));
  return out;
}

describe('the Timing tab', () => {
  it('shows the same figures after a tab switch, and new ones at the next redraw step, at the end and for a new threshold', async () => {
    await emit([start('turn-1'), ...tokens(0, 12)]);
    tab('Timing');
    expect(figure('Tokens')).toBe('12');
    expect(screen.getByText(/^Streaming: as of token 12; redrawn every 500 tokens/)).toBeTruthy();
    expect(figure('Stalls (> 1000 ms)')).toBe('1 ⚠ (longest 1.50 s)');
    tab('Usage');
    tab('Timing');
    expect(figure('Tokens')).toBe('12');
    // Still streaming: redrawn every 500 tokens, and a tab switch shows what staying open shows.
    await emit(tokens(12, 499));
    expect(figure('Tokens')).toBe('12');
    tab('Sync');
    tab('Timing');
    expect(figure('Tokens')).toBe('12');
    await emit(tokens(499, 520));
    expect(figure('Tokens')).toBe('520');
    expect(screen.getByText(/^Streaming: as of token 520;/)).toBeTruthy();
    tab('Issues');
    await emit(tokens(520, 530));
    tab('Timing');
    expect(figure('Tokens')).toBe('520');
    await emit([end('turn-1', 'complete', 530, { tokenCount: 530, durationMs: 7_000, ttftMs: 100 })]);
    expect(figure('Tokens')).toBe('530');
    expect(figure('Duration')).toBe('7.00 s');
    expect(screen.queryByText(/^Streaming: as of token/)).toBeNull();
    tab('Usage');
    tab('Timing');
    expect(figure('Tokens')).toBe('530');
    expect(figure('Duration')).toBe('7.00 s');
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Stall threshold (ms)' }), { target: { value: '2000' } });
    await screen.findByText('Stalls (> 2000 ms)');
    expect(figure('Stalls (> 2000 ms)')).toBe('none');
  });

  it('reads out the bar under the pointer: its tokens and largest gap, a stall in the warning colour', async () => {
    await emit([start('turn-1'), ...tokens(0, 12), end('turn-1', 'complete', 12, { tokenCount: 12, durationMs: 1_700, ttftMs: 100 })]);
    tab('Timing');
    const chart = screen.getByRole('img', { name: /Inter-token gaps of turn 1: 1 stalls/ }) as unknown as SVGSVGElement;
    // The chart as laid out at its viewBox size (380 × 140): pointer x is then in chart units.
    chart.getBoundingClientRect = () => ({ left: 0, top: 0, width: 380, height: 140, right: 380, bottom: 140, x: 0, y: 0, toJSON: () => ({}) });
    expect(chart.querySelector('path.bar.stall')).toBeTruthy();
    const label = () => [...chart.querySelectorAll('text')].find((t) => t.getAttribute('x') === '36')!;
    expect(label().textContent).toBe('gap ms per token');
    // 11 gaps, one bar each over x 36…374: the gap before token 8 (the stall) starts at x ≈ 272.6.
    fireEvent.pointerMove(chart, { clientX: 280, clientY: 60 });
    expect(label().textContent).toBe('token 8: 1500 ms');
    expect(label().getAttribute('class')).toBe('tick warn');
    fireEvent.pointerMove(chart, { clientX: 40, clientY: 60 });
    expect(label().textContent).toBe('token 1: 10 ms');
    expect(label().getAttribute('class')).toBe('tick');
    fireEvent.pointerLeave(chart);
    expect(label().textContent).toBe('gap ms per token');
  });
});
