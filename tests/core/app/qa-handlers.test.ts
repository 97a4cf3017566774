// QA in the app service against the real engine and the demo simulator: dialog scripts checked line by
// line and saved in the `record --script` format, recorded as a job (progress, Cancel keeps the turns so
// far), replayed with the core's checks (a PII run fails the text check), a failed turn's diff, JUnit,
// the sidecar assertions validated by JSON path, and compare of two sides.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QaJob } from '../../../shared/qa-ipc';
import { parseDialogScript } from '../../../shared/dialog-script';
import { harness, type Harness } from './helpers';

const jobPushes = (h: Harness, id: string) => h.pushes.filter((p) => p.channel === 'main:qa.job' && (p.payload as { job: QaJob }).job.id === id).map((p) => p.payload as { job: QaJob; turn?: { ok: boolean; checks: Array<{ check: string; ok: boolean }> } });
const ended = (h: Harness, id: string) => h.until(() => jobPushes(h, id).find((p) => p.job.state !== 'running')?.job, `job ${id} to end`, 30_000);

const SCRIPT = '# two turns\nTell me about my card\n{"input": "And my email?", "scenario": "happy"}\n';

describe('app service: QA', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.close());

  it('checks a script line by line with the CLI parser and saves it in the record --script format', async () => {
    const bad = await h.call('renderer:dialogs.check', { text: 'hello\n{"input": ""}\n{"inptu": "x"}\n{"input": "x", "scenario": "nope"}\n{oops\n' });
    expect(bad.response.turns).toEqual([]);
    // Every problem at once, by line (line 3 has two: the unknown key and the missing input).
    const at = (n: number) => bad.response.errors.filter((e: { line: number }) => e.line === n).map((e: { message: string }) => e.message);
    expect([...new Set(bad.response.errors.map((e: { line: number }) => e.line))]).toEqual([2, 3, 4, 5]);
    expect(at(3).join(' | ')).toMatch(/inptu/);
    expect(at(4)).toEqual([expect.stringMatching(/^scenario: unknown scenario "nope"/)]);
    expect(at(5)).toEqual([expect.stringMatching(/^invalid JSON/)]);
    expect((await h.call('renderer:dialogs.check', { text: '\n# only a comment\n' })).response.errors[0].message).toMatch(/no user input/);
    const refused = await h.call('renderer:dialogs.save', { name: 'card', text: 'ok\n{"input": ""}' });
    expect(refused.error).toEqual({ code: 'invalid-request', message: expect.stringMatching(/^not saved: line 2: input: must not be empty/) });
    expect(existsSync(join(h.dir, 'dialogs', 'card.txt'))).toBe(false);
    const saved = await h.call('renderer:dialogs.save', { name: 'card', text: SCRIPT });
    expect(saved.response.entry).toMatchObject({ name: 'card', turns: 2 });
    const withAssert = await h.call('renderer:dialogs.check', { text: 'hi\n{"input": "x", "assert": [{"kind": "ttft", "max": -1}]}\n' });
    expect(withAssert.response.errors).toEqual([{ line: 2, message: expect.stringMatching(/^assert\[0\]\.max: /) }]);
    // The file is exactly what `record --script` reads.
    expect(parseDialogScript(readFileSync(join(h.dir, 'dialogs', 'card.txt'), 'utf8')).map((t) => t.input)).toEqual(['Tell me about my card', 'And my email?']);
    expect((await h.call('renderer:dialogs.list', {})).response.dialogs).toEqual([expect.objectContaining({ name: 'card', turns: 2 })]);
    expect((await h.call('renderer:dialogs.read', { name: '../x' })).error?.code).toBe('invalid-request');
  });

  it('records a script as a job, replays it green, replays it on pii red with the diff, and exports JUnit', async () => {
    await h.call('renderer:dialogs.save', { name: 'card', text: SCRIPT });
    const rec = await h.call('renderer:dialogs.record', { name: 'card', environment: 'demo' });
    expect(rec.ok).toBe(true);
    const recorded = await ended(h, rec.response.job.id);
    expect(recorded).toMatchObject({ state: 'done', progress: { turns: { done: 2, total: 2 } } });
    const id = recorded.recording as string;
    expect(readdirSync(join(h.dir, 'recordings'))).toEqual([id]);
    expect((await h.call('renderer:recordings.open', { id })).response.turns).toHaveLength(2);

    const green = await h.call('renderer:replay.start', { ids: [id], environment: 'demo', speed: 'fast' });
    expect(await ended(h, green.response.job.id)).toMatchObject({ state: 'done', progress: { cassettes: { done: 1, total: 1 }, turns: { done: 2, total: 2 } } });
    const gd = await h.call('renderer:qa.job', { jobId: green.response.job.id });
    expect(gd.response.replay.ok).toBe(true);
    expect(gd.response.replay.turns.map((t: { ok: boolean; similarity: number }) => [t.ok, t.similarity])).toEqual([
      [true, 1],
      [true, 1],
    ]);
    // One push per turn carried its verdict.
    expect(jobPushes(h, green.response.job.id).filter((p) => p.turn)).toHaveLength(2);

    const red = await h.call('renderer:replay.start', { ids: [id], environment: 'demo', scenario: 'pii', speed: 'fast' });
    await ended(h, red.response.job.id);
    const rd = (await h.call('renderer:qa.job', { jobId: red.response.job.id })).response.replay;
    expect(rd.ok).toBe(false);
    const failed = rd.turns.find((t: { ok: boolean }) => !t.ok);
    expect(failed.checks.find((c: { check: string }) => c.check === 'text')).toMatchObject({ ok: false });
    expect(failed.similarity).toBeLessThan(1);
    const diff = await h.call('renderer:replay.turnDiff', { jobId: red.response.job.id, cassette: 0, turn: failed.index });
    expect(diff.response.diff.same).toBe(false);
    expect(diff.response.diff.hits.added.length).toBeGreaterThan(0);

    const junit = (await h.call('renderer:replay.junit', { jobId: red.response.job.id })).response;
    expect(junit.fileName).toMatch(/^replay-.*\.xml$/);
    expect(junit.content).toContain(`<testsuite name="${id}" tests="2" failures="${rd.totals.failed}"`);
    expect(junit.content).not.toContain(h.dir);
  }, 60_000);

  it('validates sidecar assertions by JSON path, saves them, and replay applies them', async () => {
    await h.call('renderer:dialogs.save', { name: 'one', text: 'hello\n' });
    const rec = await h.call('renderer:dialogs.record', { name: 'one', environment: 'demo' });
    const id = (await ended(h, rec.response.job.id)).recording as string;
    expect((await h.call('renderer:assertions.read', { id })).response).toEqual({ fileName: id.replace(/\.jsonl$/, '.assert.json'), exists: false, text: '' });
    const check = async (text: string) => (await h.call('renderer:assertions.check', { text })).response.errors;
    expect(await check('{"all": [{"kind": "ttft", "max": -1}]}')).toEqual([{ path: 'all[0].max', message: expect.any(String) }]);
    expect(await check('{"turns": [{"assert": [{"kind": "regex", "pattern": "("}]}]}')).toEqual([{ path: 'turns[0].assert[0].pattern', message: expect.stringMatching(/invalid regular expression/) }]);
    expect((await check('{"all": [{"kind": "bogus"}]}'))[0].path).toBe('all[0].kind');
    expect(await check('{"all": ')).toEqual([{ path: '(root)', message: expect.stringMatching(/^invalid JSON/) }]);
    expect(await check('')).toEqual([]);
    expect((await h.call('renderer:assertions.save', { id, text: '{"all": [{"kind": "ttft", "max": -1}]}' })).error?.message).toMatch(/^not saved: all\[0\]\.max/);
    const saved = await h.call('renderer:assertions.save', { id, text: '{"all": [{"kind": "ttft", "max": 0}, {"kind": "contains", "text": "definitely not in the answer"}]}' });
    expect(existsSync(join(h.dir, 'recordings', saved.response.fileName))).toBe(true);
    const run = await h.call('renderer:replay.start', { ids: [id], environment: 'demo', speed: 'fast' });
    await ended(h, run.response.job.id);
    const r = (await h.call('renderer:qa.job', { jobId: run.response.job.id })).response.replay;
    expect(r.cassettes[0].assertions).toBe(saved.response.fileName);
    const failedChecks = r.turns[0].checks.filter((c: { ok: boolean }) => !c.ok).map((c: { check: string }) => c.check);
    expect(failedChecks).toEqual(['assert.ttft', 'assert.contains']);
    // The run is in the recording's history (no answer text in it), and a rename carries history and sidecar along.
    const runs = (await h.call('renderer:replay.history', { id })).response.runs;
    expect(runs).toEqual([expect.objectContaining({ environment: 'demo', source: 'app', ok: false, failed: 1 })]);
    const renamed = (await h.call('renderer:recordings.rename', { id, name: 'renamed' })).response.entry.id as string;
    expect((await h.call('renderer:replay.history', { id: renamed })).response.runs).toEqual(runs);
    expect((await h.call('renderer:assertions.read', { id: renamed })).response).toMatchObject({ fileName: 'renamed.assert.json', exists: true });
    expect(existsSync(join(h.dir, 'recordings', saved.response.fileName))).toBe(false);
  }, 60_000);

  it('cancels a recording and keeps the turns recorded so far', async () => {
    await h.call('renderer:dialogs.save', { name: 'long', text: 'one\ntwo\nthree\nfour\n' });
    const rec = await h.call('renderer:dialogs.record', { name: 'long', environment: 'demo' });
    const jobId = rec.response.job.id as string;
    await h.until(() => jobPushes(h, jobId).some((p) => p.job.progress.turns.done >= 1), 'the first turn to be recorded');
    expect((await h.call('renderer:qa.cancel', { jobId })).ok).toBe(true);
    const job = await ended(h, jobId);
    expect(job.state).toBe('cancelled');
    const opened = await h.call('renderer:recordings.open', { id: job.recording });
    expect(opened.response.turns.length).toBeGreaterThanOrEqual(1);
    // Cancelled from the push of turn 1: turn 2 at most started (and ended cancelled), 3 and 4 never ran.
    expect(opened.response.turns.length).toBeLessThanOrEqual(2);
    expect(opened.response.turns[0]).toMatchObject({ input: 'one', status: 'complete' });
  }, 60_000);

  it('compares one input on two sides, streaming both, then diffs them', async () => {
    const r = await h.call('renderer:compare.start', { a: { environment: 'demo', scenario: 'happy' }, b: { environment: 'demo', scenario: 'pii' }, input: 'Tell me about my card' });
    const jobId = r.response.job.id as string;
    expect(await ended(h, jobId)).toMatchObject({ state: 'done' });
    const sides = h.pushes.filter((p) => p.channel === 'main:qa.compare').map((p) => (p.payload as { side: string }).side);
    expect(new Set(sides)).toEqual(new Set(['a', 'b']));
    const d = (await h.call('renderer:qa.job', { jobId })).response.compare;
    expect(d.same).toBe(false);
    expect(d.turns[0].hits.added.length).toBeGreaterThan(0);
    const events = (await h.call('renderer:compare.events', { jobId })).response;
    expect(events.a.filter((e: { type: string }) => e.type === 'turn.end')).toHaveLength(1);
    expect(events.b.filter((e: { type: string }) => e.type === 'turn.end')).toHaveLength(1);
    expect((await h.call('renderer:compare.start', { a: { environment: 'demo' }, b: { environment: 'demo' } })).error?.message).toMatch(/either a message or a dialog/);
  }, 60_000);
});
