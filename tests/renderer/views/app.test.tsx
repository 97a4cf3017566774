import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppStore } from '../../../renderer/src/store/store';
import type { RealApi } from '../real-api';
import { emitInto, lane, mountApp, stubLayout, unmountApp, untilPushed } from '../mount-app';
import { startPeer, type TestPeer } from '../../helpers/simulator';
import { end, filtered, start, streamed, textToken } from '../events';

// jsdom has no layout: give elements a size so the virtualized lanes render rows.
beforeAll(stubLayout);

let api: RealApi;
let store: AppStore;

async function mount() {
  ({ api, store } = await mountApp());
}

const emit = (events: Parameters<RealApi['emit']>[0]) => emitInto(api, events);
const until = <T,>(check: () => T | undefined | null | false, what: string) => untilPushed(api, check, what);

beforeEach(mount);
afterEach(() => unmountApp(api, store));

describe('first launch and composer', () => {
  it('opens the built-in demo and offers the scenarios by readable names', () => {
    expect(api.calls.find((c) => c.channel === 'renderer:session.open')?.request).toEqual({ environment: 'demo' });
    const picker = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Environment' });
    expect(picker.selectedOptions[0]!.textContent).toBe('Demo (built-in simulator)');
    const scenario = screen.getByRole('combobox', { name: 'Scenario' });
    const labels = within(scenario).getAllByRole('option').map((o) => o.textContent);
    expect(labels.some((l) => l?.startsWith('PII '))).toBe(true);
    expect(labels.some((l) => l?.includes('Rate limit (429)'))).toBe(true);
  });

  it('Enter sends, Shift+Enter does not; Cancel shows while streaming and cancels the real turn', async () => {
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(api.calls.some((c) => c.channel === 'renderer:turn.start')).toBe(false);
    // The demo's stall scenario: a few tokens, then silence, so the turn is still streaming when we look.
    fireEvent.change(screen.getByRole('combobox', { name: 'Scenario' }), { target: { value: 'stall' } });
    await act(async () => {
      fireEvent.keyDown(box, { key: 'Enter' });
    });
    expect(api.calls.find((c) => c.channel === 'renderer:turn.start')?.request).toEqual({ sessionId: api.sessionId, input: 'line one', scenario: 'stall' });
    expect((box as HTMLTextAreaElement).value).toBe('');
    await until(() => store.getState().session.activeTurnId && lane('Raw tokens').textContent, 'the first tokens of the stalled turn');
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Send' }).disabled).toBe(true);
    await act(async () => {
      fireEvent.click(cancel);
    });
    expect(api.calls.some((c) => c.channel === 'renderer:turn.cancel')).toBe(true);
    await until(() => !store.getState().session.activeTurnId, 'the turn to end');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(lane('Raw tokens').querySelector('.row-head .badge')?.textContent).toBe('cancelled');
  });
});

describe('lanes', () => {
  it('shows raw tokens and the filtered text side by side, PII highlighted with its type and masked', async () => {
    const hit = { type: 'CREDIT_CARD', action: 'mask' as const, rawStart: 6, rawEnd: 25, outStart: 6, outEnd: 19 };
    await emit([
      start('turn-1', 'card?', 'pii'),
      ...textToken('turn-1', 0, 'Card: 4111 ', 0, 10),
      ...textToken('turn-1', 1, '1111 1111 1111', 11, 20),
      filtered('turn-1', 0, 'Card: [CREDIT_CARD]', [hit]),
      end('turn-1', 'complete', 25),
    ]);
    expect(lane('Raw tokens').textContent).toContain('4111 1111 1111 1111');
    expect(lane('Filtered tokens').textContent).toContain('[CREDIT_CARD]');
    expect(lane('Filtered tokens').textContent).not.toContain('4111');
    const hitEl = lane('Raw tokens').querySelector('.hit-start') as HTMLElement;
    expect(hitEl.dataset.type).toBe('CREDIT_CARD');
    expect(lane('Filtered tokens').querySelector('.masked')?.textContent).toBe('[CREDIT_CARD]');
  });

  it('shows the live hold-back and marks the held raw text', async () => {
    await emit([start('turn-1'), ...textToken('turn-1', 0, 'mail a@b', 0, 10), filtered('turn-1', 0, 'mail ', [], 3, ['EMAIL_ADDRESS'])]);
    expect(screen.getByRole('status', { name: 'Hold-back' }).textContent).toMatch(/3 chars not released yet — pending EMAIL_ADDRESS/);
    expect(lane('Raw tokens').querySelector('.held')?.textContent).toBe('a@b');
  });

  it('renders hostile text as text: no element is created, invisible characters become markers', async () => {
    const hostile = 'x <img src=x onerror="window.__pwned=1"> \u202Eevil\u200B \uD83D end';
    await emit([start('turn-1', hostile), ...textToken('turn-1', 0, hostile, 0, 1), filtered('turn-1', 0, hostile), end('turn-1', 'complete', hostile.length)]);
    expect(document.querySelectorAll('img')).toHaveLength(0);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    const raw = lane('Raw tokens').textContent;
    expect(raw).toContain('<img src=x onerror="window.__pwned=1">');
    expect(raw).toContain('⟨U+202E⟩evil⟨U+200B⟩');
    expect(raw).toContain('⟨D83D?⟩');
    expect(raw).not.toContain('\u202E');
    expect(lane('Filtered tokens').textContent).toContain('⟨U+202E⟩');
  });

  it('keeps a partial answer visible and marked, with the typed cause and the fallback', async () => {
    await emit([
      start('turn-1'),
      ...streamed('turn-1', 'half an answ'),
      { type: 'error', turnId: 'turn-1', at: 50, cause: 'network', message: 'connection dropped (1006)', closeCode: 1006, fallback: 'Sorry, try again.' },
      end('turn-1', 'partial', 12, { cause: 'network' }),
    ]);
    expect(lane('Raw tokens').textContent).toContain('half an answ');
    expect(lane('Raw tokens').textContent).toMatch(/partial \(network/);
    expect(lane('Filtered tokens').textContent).toContain('the end user received 12 characters of the answer, then the fallback "Sorry, try again."');
    expect(lane('Raw tokens').querySelector('.cause')?.textContent).toBe('network');
  });

  it('keeps long sessions virtualized: only rows on screen exist', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
    await emit([start('turn-1'), ...textToken('turn-1', 0, text, 0, 1), filtered('turn-1', 0, text), end('turn-1', 'complete', text.length)]);
    const rows = lane('Raw tokens').querySelectorAll('.row').length;
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(200);
  });
});

describe('details', () => {
  it('inspector, timing (stalls), usage (drift) and sync (retry now) read the selected turn', async () => {
    // The stall threshold is the user's setting (saved in main), not the default's.
    await act(() => store.getState().settings.update({ stallThresholdMs: 500 }));
    expect(store.getState().settings.values.stallThresholdMs).toBe(500);
    await emit([
      start('turn-1'),
      ...textToken('turn-1', 0, 'ab', 0, 10),
      ...textToken('turn-1', 1, 'cd', 2, 900),
      filtered('turn-1', 0, 'abcd'),
      { type: 'usage', turnId: 'turn-1', at: 950, reported: { prompt: 5, completion: 10, total: 15 }, estimated: { prompt: 5, completion: 2, total: 7 }, encoding: 'cl100k_base', drift: 0.53, driftFlagged: true, source: 'reported' },
      end('turn-1', 'complete', 4),
      { type: 'sync', turnId: 'turn-1', at: 960, syncId: 's1', target: 'gateway-variables', state: 'queued', attempt: 0 },
      { type: 'sync', turnId: 'turn-1', at: 961, syncId: 's1', target: 'gateway-variables', state: 'retrying', attempt: 1, nextAttemptAt: Date.now() + 3000, cause: 'rate_limited' },
    ]);
    act(() => store.getState().ui.setSelection({ turnId: 'turn-1', start: 1, end: 3 }));
    // Time columns carry their unit.
    expect([...screen.getByRole('table').querySelectorAll('thead th')].map((h) => h.textContent)).toEqual(['#', 'token', 'frame', 'seq', 'bytes', 'at (ms)', 'Δ (ms)']);
    const rows = screen.getByRole('table').querySelectorAll('tbody tr:not(.note-row)');
    expect([...rows].map((r) => r.querySelector('td')?.textContent)).toEqual(['0', '1']);

    fireEvent.click(screen.getByRole('tab', { name: 'Timing' }));
    expect(screen.getByRole('img', { name: /1 stalls/ })).toBeTruthy();
    expect(screen.getByText(/stall before token 1: 890 ms/)).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: 'Usage' }));
    expect(screen.getByRole('alert').textContent).toMatch(/drift over 10 %/);
    expect(screen.getAllByText(/53\.3 % · completion 80\.0 % ⚠/).length).toBe(2);

    fireEvent.click(screen.getByRole('tab', { name: /Sync/ }));
    expect(screen.getByRole('list', { name: /sync timeline/ }).textContent).toMatch(/queued.*retrying in \d\.\d s \(rate_limited\)/);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    });
    expect(api.calls.find((c) => c.channel === 'renderer:sync.retry')?.request).toEqual({ sessionId: api.sessionId, syncId: 's1' });
    await act(async () => api.push('main:sync.outbox', { sessionId: api.sessionId, pending: 2, failed: 0 }));
    expect(screen.getAllByText(/Outbox: 2 \(2 pending\)/).length).toBeGreaterThan(0);
  });
});

describe('environments', () => {
  const SECRET = 'my-very-secret-client-secret';

  it('adds an environment with a secret that goes to the API once and nowhere else', async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Environments' }));
    fireEvent.click(screen.getByRole('button', { name: 'New environment' }));
    const form = screen.getByRole('form', { name: 'New environment' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'acme' } });
    fireEvent.change(within(form).getByLabelText('Host'), { target: { value: 'acme.cognigy.ai' } });
    fireEvent.change(within(form).getByLabelText('Client ID'), { target: { value: 'client-1' } });
    const secret = within(form).getByLabelText<HTMLInputElement>('Client secret');
    fireEvent.change(secret, { target: { value: SECRET } });
    await act(async () => {
      fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    });
    expect(api.calls.find((c) => c.channel === 'renderer:env.save')?.request).toMatchObject({ environment: { name: 'acme', gateway: { host: 'acme.cognigy.ai', clientId: 'client-1' } } });
    // Saving the environment and then its secret are two real round trips: the form saying "set" is the end.
    const edited = await screen.findByRole('form', { name: 'Environment acme' }, { timeout: 10_000 });
    expect(await within(edited).findByLabelText('Client secret: set', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(await api.secrets.get('acme', 'client-secret')).toBe(SECRET);
    expect(api.calls.filter((c) => c.channel === 'renderer:env.setSecret')).toHaveLength(1);
    expect(secret.value).toBe('');
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(JSON.stringify(store.getState())).not.toContain(SECRET);
  });

  it('names invalid fields and does not save', async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Environments' }));
    fireEvent.click(screen.getByRole('button', { name: 'New environment' }));
    const form = screen.getByRole('form', { name: 'New environment' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'ok-name' } });
    fireEvent.change(within(form).getByLabelText('Temperature'), { target: { value: '5' } });
    await act(async () => {
      fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    });
    expect(within(form).getByText('Temperature must be a number between 0 and 2')).toBeTruthy();
    expect(api.calls.some((c) => c.channel === 'renderer:env.save')).toBe(false);
  });

  it('says what is missing in the words of the form, next to the field', async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Environments' }));
    fireEvent.click(screen.getByRole('button', { name: 'New environment' }));
    const form = screen.getByRole('form', { name: 'New environment' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'acme' } });
    fireEvent.change(within(form).getByLabelText('Temperature'), { target: { value: 'warm' } });
    await act(async () => {
      fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    });
    // The error is part of the field's label (read with it), so the label starts with the field's name.
    const field = (label: string) => within(form).getByLabelText(new RegExp(`^${label}`)).closest('label')!;
    expect(within(field('Host')).getByText('Host is required')).toBeTruthy();
    expect(within(field('Client ID')).getByText('Client ID is required')).toBeTruthy();
    expect(within(field('Temperature')).getByText('Temperature must be a number between 0 and 2')).toBeTruthy();
    expect(form.textContent).not.toMatch(/Too small|expected string|expected number|Invalid input/);
    expect(api.calls.some((c) => c.channel === 'renderer:env.save')).toBe(false);
  });

  /** A real simulator granting only llm:stream, saved as an environment with its secret, opened in the editor. */
  async function restrictedPeer(): Promise<TestPeer> {
    const peer = await startPeer({ grantedScopes: ['llm:stream'] });
    peers.push(peer);
    await act(async () => {
      await api.invoke('renderer:env.save', { environment: { ...peer.gatewayEnv, name: 'narrow' } });
      await api.invoke('renderer:env.setSecret', { name: 'narrow', kind: 'client-secret', value: peer.creds.clientSecret });
      await store.getState().environments.load();
    });
    fireEvent.click(screen.getByRole('button', { name: 'Environments' }));
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Environments' })).getByRole('button', { name: /narrow/ }));
    return peer;
  }
  const peers: TestPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.sim.close();
  });

  it('Test connection shows token expiry, granted and missing scopes (a real peer granting less)', async () => {
    await restrictedPeer();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    });
    const report = await screen.findByRole('status', { name: 'Connection test result' }, { timeout: 10_000 });
    expect(report.textContent).toMatch(/in 60 min/);
    expect(within(report).getByText('llm:stream')).toBeTruthy();
    expect(within(report).getByText('api:access').className).toContain('bad');
  });

  it('Test connection: "none" missing is neutral', async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Environments' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    });
    // The built-in demo grants every scope the app asks for.
    const report = await screen.findByRole('status', { name: 'Connection test result' }, { timeout: 10_000 });
    const none = within(report).getByText('none');
    expect(none.className).toContain('muted');
    expect(none.className).not.toContain('bad');
  });
});
