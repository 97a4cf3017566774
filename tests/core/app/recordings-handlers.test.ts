import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, TRUSTED, type CallResult, type Harness } from './helpers';

async function openDemo(h: Harness): Promise<string> {
  const r = await h.call('renderer:session.open', { environment: 'demo' });
  expect(r.ok).toBe(true);
  return r.response.sessionId as string;
}

/** Starts a turn and waits for its turn.end among the engine's events. */
async function turn(h: Harness, sessionId: string, input: string, scenario: string): Promise<void> {
  const ends = h.direct.filter((e) => e.type === 'turn.end').length;
  const r = await h.call('renderer:turn.start', { sessionId, input, scenario });
  expect(r.ok).toBe(true);
  await h.until(() => h.direct.filter((e) => e.type === 'turn.end').length > ends, 'the turn end');
}

async function record(h: Harness, sessionId: string, input: string, scenario: string, redact = false): Promise<string> {
  const start = await h.call('renderer:recording.start', { sessionId, redact });
  expect(start.ok).toBe(true);
  await turn(h, sessionId, input, scenario);
  const stop = await h.call('renderer:recording.stop', { sessionId });
  expect(stop.ok).toBe(true);
  expect(stop.response.entry.turns).toBe(1);
  return start.response.id as string;
}

describe('app service: recordings', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());

  it('records a demo turn, lists, opens, renames, exports and imports it, and deletes it', async () => {
    const sessionId = await openDemo(h);
    const start = await h.call('renderer:recording.start', { sessionId });
    expect(start.response.id).toMatch(/^demo-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.jsonl$/);
    const id = start.response.id as string;
    // A second start on the same session is refused; the list marks the file as being recorded.
    expect((await h.call('renderer:recording.start', { sessionId })).error?.code).toBe('conflict');
    expect((await h.call('renderer:recordings.list', {})).response.recordings[0]).toMatchObject({ id, recording: true });
    expect((await h.call('renderer:recordings.delete', { id })).error?.code).toBe('conflict');
    await turn(h, sessionId, 'hello there', 'happy');
    const stop = await h.call('renderer:recording.stop', { sessionId });
    expect(stop.response.entry).toMatchObject({ id, turns: 1, environment: 'demo', upstream: 'gateway', redacted: false, recording: false });
    expect((await h.call('renderer:recording.stop', { sessionId })).response).toEqual({});

    const list = await h.call('renderer:recordings.list', {});
    expect(list.response.recordings).toHaveLength(1);
    expect(list.response.recordings[0]).toMatchObject({ id, name: id.replace('.jsonl', ''), turns: 1 });
    expect(list.response.recordings[0].size).toBeGreaterThan(100);

    const opened = await h.call('renderer:recordings.open', { id });
    expect(opened.response.turns).toHaveLength(1);
    const t = opened.response.turns[0];
    expect(t).toMatchObject({ index: 0, input: 'hello there', status: 'complete' });
    expect(t.rawText.length).toBeGreaterThan(0);
    expect(t.filteredText).toBe(t.rawText);
    expect(t.tokens).toBeGreaterThan(0);

    const renamed = await h.call('renderer:recordings.rename', { id, name: 'greeting run' });
    expect(renamed.response.entry).toMatchObject({ id: 'greeting run.jsonl', name: 'greeting run', turns: 1 });
    expect(existsSync(join(h.dir, 'recordings', id))).toBe(false);
    expect((await h.call('renderer:recordings.open', { id })).error?.code).toBe('not-found');

    const exported = await h.call('renderer:recordings.export', { id: 'greeting run.jsonl' });
    expect(exported.response.fileName).toBe('greeting run.jsonl');
    expect(exported.response.content).toBe(readFileSync(join(h.dir, 'recordings', 'greeting run.jsonl'), 'utf8'));
    const imported = await h.call('renderer:recordings.import', { fileName: 'C:\\Users\\qa\\greeting run.jsonl', content: exported.response.content });
    expect(imported.response.entry).toMatchObject({ id: 'greeting run-2.jsonl', turns: 1 });
    const again = await h.call('renderer:recordings.open', { id: 'greeting run-2.jsonl' });
    expect(again.response.turns).toEqual((await h.call('renderer:recordings.open', { id: 'greeting run.jsonl' })).response.turns);
    expect((await h.call('renderer:recordings.diff', { a: 'greeting run.jsonl', b: 'greeting run-2.jsonl' })).response.diff.same).toBe(true);

    expect((await h.call('renderer:recordings.delete', { id: 'greeting run.jsonl' })).response).toEqual({ ok: true });
    expect((await h.call('renderer:recordings.delete', { id: 'greeting run.jsonl' })).error?.code).toBe('not-found');
    expect((await h.call('renderer:recordings.list', {})).response.recordings.map((r: { id: string }) => r.id)).toEqual(['greeting run-2.jsonl']);
  });

  it('refuses a corrupt import naming the line, and writes nothing', async () => {
    const sessionId = await openDemo(h);
    const id = await record(h, sessionId, 'hi', 'happy');
    const { content } = (await h.call('renderer:recordings.export', { id })).response;
    const lines = (content as string).split('\n');
    lines[2] = '{"type":"token","nope":';
    const bad = await h.call('renderer:recordings.import', { fileName: 'broken.jsonl', content: lines.join('\n') });
    expect(bad.error?.code).toBe('invalid-request');
    expect(bad.error?.message).toMatch(/broken\.jsonl: line 3: invalid JSON/);
    const notCassette = await h.call('renderer:recordings.import', { fileName: 'x.jsonl', content: '{"hello":1}\n' });
    expect(notCassette.error?.message).toMatch(/line 1: not a cassette header/);
    expect(readdirSync(join(h.dir, 'recordings'))).toEqual([id]);
    // A file that went bad on disk shows in the list with its problem, and opening it names the line.
    writeFileSync(join(h.dir, 'recordings', 'damaged.jsonl'), lines.join('\n'));
    const damaged = (await h.call('renderer:recordings.list', {})).response.recordings.find((r: { id: string }) => r.id === 'damaged.jsonl');
    expect(damaged.problem).toMatch(/line 3/);
    expect((await h.call('renderer:recordings.open', { id: 'damaged.jsonl' })).error?.message).toMatch(/damaged\.jsonl: line 3: invalid JSON/);
  });

  it('diffs a happy and a pii recording: differences in text and hits', async () => {
    const sessionId = await openDemo(h);
    const a = await record(h, sessionId, 'my card please', 'happy');
    const b = await record(h, sessionId, 'my card please', 'pii');
    const r = await h.call('renderer:recordings.diff', { a, b });
    expect(r.ok).toBe(true);
    const { diff } = r.response;
    expect(diff.same).toBe(false);
    expect(diff.turnCount).toEqual({ a: 1, b: 1 });
    const t = diff.turns[0];
    expect(t.same).toBe(false);
    expect(t.raw.same).toBe(false);
    expect(t.filtered.same).toBe(false);
    expect(t.filtered.parts.some((p: { added?: boolean }) => p.added)).toBe(true);
    expect(t.hits.added.length).toBeGreaterThan(0);
    expect(t.timing.ttftMs.a).toBeTypeOf('number');
    expect(r.response.a.name).toBe(a.replace('.jsonl', ''));
  });

  it('keeps a redacted recording free of raw text', async () => {
    const sessionId = await openDemo(h);
    const id = await record(h, sessionId, 'card', 'pii', true);
    const t = (await h.call('renderer:recordings.open', { id })).response.turns[0];
    expect(t.rawText).toBeNull();
    expect(t.filteredText.length).toBeGreaterThan(0);
    expect((await h.call('renderer:recordings.list', {})).response.recordings[0].redacted).toBe(true);
  });

  it('refuses path traversal and other ids that are not plain recording file names', async () => {
    writeFileSync(join(h.dir, 'secret.txt'), 'nope');
    for (const id of ['../secret.txt', '../x.jsonl', '..jsonl', '/etc/passwd.jsonl', 'a/b.jsonl', 'a\\b.jsonl', '.hidden.jsonl', 'x.json', '', 'x\u0000.jsonl']) {
      for (const channel of ['renderer:recordings.open', 'renderer:recordings.delete', 'renderer:recordings.export']) {
        const r = await h.call(channel, { id });
        expect(r.error?.code, `${channel} ${id}`).toBe('invalid-request');
      }
      expect((await h.call('renderer:recordings.diff', { a: id, b: 'x.jsonl' })).error?.code).toBe('invalid-request');
    }
    const sessionId = await openDemo(h);
    const id = await record(h, sessionId, 'hi', 'happy');
    for (const name of ['../escape', 'a/b', '.dot', 'x..y', '']) {
      expect((await h.call('renderer:recordings.rename', { id, name })).error?.code, name).toBe('invalid-request');
    }
    // Import names are made safe instead: the file lands inside the folder.
    const { content } = (await h.call('renderer:recordings.export', { id })).response;
    const imp = await h.call('renderer:recordings.import', { fileName: '../../etc/..evil name?.jsonl', content });
    expect(imp.response.entry.id).toBe('evil name-.jsonl');
    expect(readdirSync(join(h.dir, 'recordings')).sort()).toEqual([id, 'evil name-.jsonl'].sort());
    expect(readFileSync(join(h.dir, 'secret.txt'), 'utf8')).toBe('nope');
  });

  it('closing the session stops its recording and leaves a valid file', async () => {
    const sessionId = await openDemo(h);
    const id = (await h.call('renderer:recording.start', { sessionId })).response.id as string;
    await turn(h, sessionId, 'hi', 'happy');
    await h.call('renderer:session.close', { sessionId });
    const entry = (await h.call('renderer:recordings.list', {})).response.recordings[0];
    expect(entry).toMatchObject({ id, recording: false, turns: 1 });
    expect(entry.problem).toBeUndefined();
    expect((await h.call('renderer:recording.start', { sessionId })).error?.code).toBe('not-found');
  });

  it('another client can neither start nor stop a recording of this client\'s session', async () => {
    const sessionId = await openDemo(h);
    await h.call('renderer:recording.start', { sessionId });
    const other = h.service.connect({ push() {} });
    try {
      expect((await other.dispatch('renderer:recording.stop', { sessionId }, TRUSTED)).ok).toBe(false);
      expect((await other.dispatch('renderer:recording.start', { sessionId }, TRUSTED)).ok).toBe(false);
      expect((await h.call('renderer:recordings.list', {})).response.recordings[0].recording).toBe(true);
    } finally {
      await other.close();
    }
    expect((await h.call('renderer:recording.stop', { sessionId })).response.entry.recording).toBe(false);
  });

  it('a window closed while a recording starts: the close waits for the start, which stops its recorder and says the session closed', async () => {
    const sessionId = await openDemo(h);
    let settled = false;
    const start = h.call('renderer:recording.start', { sessionId }).finally(() => (settled = true));
    // The window goes away in the same tick, while the start is between its file operations.
    await h.client.close();
    // Nothing of the start is still under way once the close is done (it could still be writing the file).
    expect(settled).toBe(true);
    expect((await start).error?.code).toBe('not-found');
    const other = h.service.connect({ push() {} });
    try {
      // Whatever the start wrote is a finished, valid file, not one still being recorded.
      const list = (await other.dispatch('renderer:recordings.list', {}, TRUSTED)) as CallResult;
      expect(list.ok).toBe(true);
      for (const r of list.response.recordings) {
        expect(r).toMatchObject({ recording: false });
        expect(r.problem).toBeUndefined();
      }
    } finally {
      await other.close();
    }
  });
});
