import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitXml } from '../../../electron/core/recording/junit';
import type { ReplayReport, ReplayTurnResult } from '../../../electron/core/recording/replay-runner';
import { fnv1a, parseShard, selectShard, shardOf } from '../../../electron/core/recording/shard';
import { summarizeTurns } from '../../../electron/core/recording/turns';
import { xmlAttr, xmlSafe, xmlText } from '../../../electron/core/recording/xml-escape';
import { turnEvents } from './fixtures';

const rec = summarizeTurns(turnEvents({ turnId: 't', input: 'x', tokens: ['a'] }))[0]!;
const turnResult = (over: Partial<ReplayTurnResult>): ReplayTurnResult => ({ index: 0, input: 'hello', ok: true, checks: [], recorded: rec, timeMs: 12, ...over });

function report(turns: ReplayTurnResult[], extra: ReplayReport['cassettes'] = []): ReplayReport {
  const cassettes = [{ path: 'rec/a&b.jsonl', ok: turns.every((t) => t.ok), turns, warnings: ['w <1>'], timeMs: 50, startedAt: '2025-01-01T00:00:00.000Z' }, ...extra];
  const all = cassettes.flatMap((c) => c.turns);
  return {
    ok: cassettes.every((c) => c.ok),
    cassettes,
    totals: { cassettes: cassettes.length, turns: all.length, passed: all.filter((t) => t.ok).length, failed: all.filter((t) => !t.ok && !t.error).length, errors: all.filter((t) => t.error).length + extra.length },
    timeMs: 60,
  };
}

const parser = new XMLParser({ htmlEntities: true, ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name), trimValues: false });

describe('JUnit XML', () => {
  it('one testsuite per cassette, one testcase per turn, failures with expected vs got and the diff', () => {
    const nasty = 'tok \ud83d lone \u0001 ctl "q" <tag> & ]]>\r\n\n';
    const xml = junitXml(
      report([
        turnResult({ index: 0 }),
        turnResult({
          index: 1,
          input: `line1\nline2 ${nasty}`,
          ok: false,
          scenario: 'pii',
          checks: [
            { check: 'text', ok: false, expected: 'filtered answer equal to the recording', got: `different ${nasty}`, diff: `--- recorded\n+++ replayed\n@@ -1 +1 @@\n-a\n+${nasty}` },
            { check: 'leak', ok: true, expected: 'no filter.leak event', got: 'none' },
          ],
        }),
        turnResult({ index: 2, ok: false, error: 'connection refused' }),
      ], [{ path: 'bad.jsonl', ok: false, turns: [], error: 'bad.jsonl: line 3: invalid JSON', warnings: [], timeMs: 1, startedAt: '2025-01-01T00:00:00.000Z' }]),
    );
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const root = doc.testsuites;
    expect(root).toMatchObject({ tests: '4', failures: '1', errors: '2' });
    const [suite, bad] = root.testsuite;
    expect(suite).toMatchObject({ name: 'rec/a&b.jsonl', tests: '3', failures: '1', errors: '1', skipped: '0' });
    expect(suite['system-err']).toBe('w <1>');
    const [c1, c2, c3] = suite.testcase;
    expect(c1).toMatchObject({ name: 'turn 1: hello', classname: 'rec.a&b', time: '0.012' });
    expect(c1.failure).toBeUndefined();
    expect(c2.name).toBe(`turn 2: line1 line2 tok \\ud83d lone \\u0001 ctl "q" <tag> & ]]>`);
    expect(c2.failure.type).toBe('text');
    expect(c2.failure.message).toBe(`text: expected filtered answer equal to the recording, got different tok \\ud83d lone \\u0001 ctl "q" <tag> & ]]>\r\n\n`);
    const body: string = c2.failure['#text'];
    expect(body).toContain('scenario: pii');
    expect(body).toContain('check text\n  expected: filtered answer equal to the recording\n  got:      different tok \\ud83d');
    expect(body).toContain('--- recorded\n+++ replayed\n@@ -1 +1 @@\n-a\n+tok');
    expect(c3.error).toMatchObject({ message: 'connection refused', type: 'error' });
    expect(bad).toMatchObject({ name: 'bad.jsonl', tests: '1', errors: '1' });
    expect(bad.testcase[0].error.message).toBe('bad.jsonl: line 3: invalid JSON');
  });

  it('any string survives escaping: the XML stays valid and reads back as the XML-safe string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const xml = `<r a="${xmlAttr(s)}">${xmlText(s)}</r>`;
        expect(XMLValidator.validate(xml)).toBe(true);
        const r = new XMLParser({ htmlEntities: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, parseTagValue: false, parseAttributeValue: false, processEntities: true }).parse(xml).r;
        const safe = xmlSafe(s);
        const text = typeof r === 'object' ? (r['#text'] ?? '') : String(r);
        const attr = typeof r === 'object' ? r.a : '';
        expect(attr).toBe(safe);
        expect(text).toBe(safe);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });
});

describe('sharding', () => {
  const files = Array.from({ length: 1000 }, (_, i) => `recordings/suite-${i % 7}/dialog-${i}.jsonl`);

  it('parses I/N and rejects nonsense with a clear message', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow(/I must be between 1 and 4/);
    expect(() => parseShard('5/4')).toThrow(/I must be between 1 and 4/);
    expect(() => parseShard('1/0')).toThrow(/N must be at least 1/);
    expect(() => parseShard('two')).toThrow(/--shard must look like I\/N/);
  });

  it('shards partition the list, are deterministic, balanced, and independent of input order and separators', () => {
    const n = 4;
    const shards = Array.from({ length: n }, (_, i) => selectShard(files, { index: i + 1, count: n }));
    expect(shards.flat().sort()).toEqual([...files].sort());
    expect(new Set(shards.flat()).size).toBe(files.length);
    for (const s of shards) expect(s.length).toBeGreaterThan(200);
    for (const s of shards) expect(s).toEqual([...s].sort());
    expect(selectShard([...files].reverse(), { index: 2, count: n })).toEqual(shards[1]);
    expect(shardOf('recordings\\x.jsonl', 5)).toBe(shardOf('./recordings/x.jsonl', 5));
    // A file keeps its shard when others are added.
    const more = [...files, 'recordings/new.jsonl'];
    expect(selectShard(more, { index: 3, count: n }).filter((f) => f !== 'recordings/new.jsonl')).toEqual(shards[2]);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
});
