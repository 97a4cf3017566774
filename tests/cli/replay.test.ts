// `replay`: record from the simulator, replay against it (passes), replay on another scenario (fails with
// a diff and a JUnit failure); sidecar assertions; sharding; progress output.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../core/recording/helpers/in-process-cli';

const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
const happy = join(dir, 'suite', 'happy.jsonl');
const pii = join(dir, 'suite', 'pii.jsonl');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parser = new XMLParser({ htmlEntities: true, ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' });

beforeAll(async () => {
  mkdirSync(join(dir, 'suite'));
  writeFileSync(join(dir, 'happy.txt'), 'What is streaming?\nAnd the second point?\n');
  writeFileSync(join(dir, 'pii.txt'), '{"input":"card please","scenario":"pii"}\n');
  for (const [script, out] of [['happy.txt', happy], ['pii.txt', pii]] as const) {
    const r = await runCli(['record', '--env', 'demo', '--script', join(dir, script), '--out', out, '--speed', '0'], { env });
    expect(r.code, r.stderr).toBe(0);
  }
});

describe('replay', () => {
  it('a recording replayed against the same environment passes; JUnit has one suite per cassette, one case per turn', async () => {
    const junit = join(dir, 'ok.xml');
    const r = await runCli(['replay', join(dir, 'suite'), '--env', 'demo', '--speed', '0', '--junit', junit], { env });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^PASS: 2 cassettes, 3 turns: 3 passed, 0 failed, 0 errors \(\d+\.\d\d s\)\n$/);
    expect(r.stderr).toMatch(/^PASS .*happy\.jsonl \(2 turns, /m);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml).testsuites;
    expect(doc).toMatchObject({ tests: '3', failures: '0', errors: '0' });
    expect(doc.testsuite.map((s: { name: string }) => s.name.replace(/.*suite[\\/]/, ''))).toEqual(['happy.jsonl', 'pii.jsonl']);
    expect(doc.testsuite[0].testcase.map((c: { name: string }) => c.name)).toEqual(['turn 1: What is streaming?', 'turn 2: And the second point?']);
    expect(doc.testsuite[0].testcase.every((c: { failure?: unknown }) => c.failure === undefined)).toBe(true);
  });

  it('replayed on another scenario it fails with a readable diff and a JUnit failure', async () => {
    const junit = join(dir, 'fail.xml');
    const r = await runCli(['replay', happy, '--env', 'demo', '--speed', '0', '--scenario', 'pii', '--junit', junit], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL ');
    expect(r.stdout).toMatch(/happy\.jsonl turn 1: What is streaming\?\n {2}scenario: pii\n {2}check text\n {4}expected: filtered answer equal to the recording\n {4}got: {6}different \(similarity 0\.\d+/);
    expect(r.stdout).toContain('  --- recorded\n  +++ replayed\n');
    expect(r.stdout).toMatch(/^ {2}\+- Card: \[CREDIT_CARD\]$/m);
    expect(r.stdout).toMatch(/FAIL: 1 cassette, 2 turns: 0 passed, 2 failed, 0 errors/);
    const doc = parser.parse(readFileSync(junit, 'utf8')).testsuites;
    expect(doc).toMatchObject({ tests: '2', failures: '2', errors: '0' });
    const failure = doc.testsuite[0].testcase[0].failure;
    expect(failure.message).toMatch(/^text: expected filtered answer equal to the recording, got different/);
    expect(failure.type).toContain('text');
    expect(failure['#text']).toContain('+- Card: [CREDIT_CARD]');
    expect(failure['#text']).toContain('-- Name variables in `snake_case`');
  });

  it('a damaged recording is refused as a baseline (saying why) unless --accept-damaged; the cassette says damaged', async () => {
    writeFileSync(join(dir, 'gap.txt'), '{"input":"gap please","scenario":"seq-gap"}\n');
    const gap = join(dir, 'gap.jsonl');
    const rec = await runCli(['record', '--env', 'demo', '--script', join(dir, 'gap.txt'), '--out', gap, '--speed', '0'], { env });
    expect(rec.code, rec.stderr).toBe(6);
    const end = readFileSync(gap, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'turn.end');
    expect(end).toMatchObject({ status: 'damaged', damage: [{ kind: 'seq-gap', count: 1 }] });

    const junit = join(dir, 'gap.xml');
    const refused = await runCli(['replay', gap, '--env', 'demo', '--speed', '0', '--junit', junit], { env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/check recording\n {4}expected: a whole recorded answer as the baseline\n {4}got: {6}the recorded answer is damaged \(1 sequence gap \(frames never received\)\); record it again, or pass --accept-damaged/);
    const doc = parser.parse(readFileSync(junit, 'utf8')).testsuites;
    expect(doc).toMatchObject({ tests: '1', failures: '1' });
    expect(doc.testsuite[0].testcase[0].failure.type).toContain('recording');

    const accepted = await runCli(['replay', gap, '--env', 'demo', '--speed', '0', '--accept-damaged'], { env });
    expect(accepted.code, accepted.stdout).toBe(0);
    // A replay that comes back damaged against a whole baseline is a failure, named as damage.
    const worse = await runCli(['replay', happy, '--env', 'demo', '--speed', '0', '--scenario', 'seq-gap', '--similarity', '0'], { env });
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/check status\n {4}expected: turn complete\n {4}got: {6}damaged: 1 sequence gap/);
  });

  it('--similarity relaxes the text check', async () => {
    const loose = await runCli(['replay', happy, '--env', 'demo', '--speed', '0', '--scenario', 'no-usage', '--similarity', '0.5'], { env });
    // no-usage answers like happy: only the usage source differs, within tolerance.
    expect(loose.code, loose.stdout).toBe(0);
  });

  it('sidecar assertions are checked, and a bad sidecar is reported by name and path', async () => {
    const asserted = join(dir, 'asserted.jsonl');
    copyFileSync(pii, asserted);
    writeFileSync(`${asserted}.assert.json`, JSON.stringify({ all: [{ kind: 'contains', text: '[CREDIT_CARD]' }, { kind: 'noHit', type: 'CREDIT_CARD' }, { kind: 'usage', max: 5000 }] }));
    const r = await runCli(['replay', asserted, '--env', 'demo', '--speed', '0'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/check assert\.noHit \(all\[1\]\)\n\s+expected: no CREDIT_CARD in the answer\n\s+got:\s+1 × CREDIT_CARD \(mask at \d+–\d+\)/);
    expect(r.stdout).not.toMatch(/check assert\.contains/);
    writeFileSync(`${asserted}.assert.json`, JSON.stringify({ all: [{ kind: 'ttft', max: 'fast' }] }));
    const bad = await runCli(['replay', asserted, '--env', 'demo', '--speed', '0'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/ERROR .*asserted\.jsonl: .*asserted\.jsonl\.assert\.json: all\[0\]\.max: expected number, got string/);
  });

  it('--shard splits the cassettes deterministically: the shards partition the list', async () => {
    const many = join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 6; i++) copyFileSync(i % 2 ? happy : pii, join(many, `c${i}.jsonl`));
    const ran: string[][] = [];
    for (const s of ['1/3', '2/3', '3/3']) {
      const junit = join(dir, `shard-${s.replace('/', '-')}.xml`);
      const r = await runCli(['replay', many, '--env', 'demo', '--speed', '0', '--shard', s, '--junit', junit], { env });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^shard ${s.replace('/', '\\/')}: \\d of 6 cassettes`, 'm'));
      const suites = (parser.parse(readFileSync(junit, 'utf8')).testsuites.testsuite ?? []) as Array<{ name: string }>;
      ran.push(suites.map((x) => x.name.replace(/.*many[\\/]/, '')));
    }
    expect(ran.flat().sort()).toEqual(['c0.jsonl', 'c1.jsonl', 'c2.jsonl', 'c3.jsonl', 'c4.jsonl', 'c5.jsonl']);
    const again = await runCli(['replay', many, '--env', 'demo', '--speed', '0', '--shard', '2/3'], { env });
    expect(again.stdout).toContain(`${ran[1]!.length} cassette`);
  });

  it('--no-sync replays without writing answers back and without the sync check', async () => {
    const r = await runCli(['replay', pii, '--env', 'demo', '--speed', '0', '--no-sync'], { env });
    expect(r.code, r.stdout).toBe(0);
  });

  it('draws a progress bar on a TTY', async () => {
    const r = await runCli(['replay', pii, '--env', 'demo', '--speed', '0'], { env, isTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\r\x1b[2K[');
    expect(r.stderr).toMatch(/\] 1\/1 cassettes · 1 turns · 0 failed/);
  });

  it('bad arguments exit 2 with a clear message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['replay', '--env', 'demo'], /name at least one cassette/],
      [['replay', happy], /--env NAME is required/],
      [['replay', happy, '--env', 'demo', '--shard', '4/3'], /I must be between 1 and 3/],
      [['replay', happy, '--env', 'demo', '--similarity', '2'], /--similarity must be a number between 0 and 1/],
      [['replay', join(dir, 'missing.jsonl'), '--env', 'demo'], /no such file or directory: .*missing\.jsonl/],
      [['replay', happy, '--env', 'demo', '--scenario', 'nope'], /unknown scenario "nope"/],
    ];
    for (const [argv, msg] of cases) {
      const r = await runCli(argv, { env });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
