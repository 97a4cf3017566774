// `compare` end to end through the CLI against the built-in simulator: two sides (the demo as itself and
// as its PII twin, or under two policies), one input or a dialog script, the exit code by the similarity,
// JUnit that parses back, raw text kept off stdout unless asked, and bad arguments named (exit 2).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../core/recording/helpers/in-process-cli';

const dir = mkdtempSync(join(tmpdir(), 'compare-cli-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const parser = new XMLParser({ htmlEntities: true, ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' });

describe('compare', () => {
  it('the demo against its PII twin differs (exit 1): the filtered diff and the hits on stdout, raw text only with --raw; JUnit', async () => {
    const junit = join(dir, 'pii.xml');
    const r = await runCli(['compare', '--env', 'demo', '--scenario-b', 'pii', '--input', 'card please', '--speed', '0', '--junit', junit], { env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^A: demo \(scenario default\)\nB: demo \(scenario pii\)\nturn 1 "card please": different \([^)\n]*\bfiltered text\b[^)\n]*\)\n/);
    expect(r.stdout).toContain('    +- Card: [CREDIT_CARD]');
    expect(r.stdout).toMatch(/^ {2}hit added: CREDIT_CARD \(mask\) raw \d+–\d+, out \d+–\d+$/m);
    expect(r.stdout).toMatch(/^ {2}raw text: different \(similarity 0\.\d{3}; --raw shows it\)$/m);
    expect(r.stdout.replace(/\D/g, '')).not.toContain('4111111111111111');
    expect(r.stdout).toMatch(/^DIFFERENT: 1 turn: 0 alike, 1 differ \(\d+\.\d\d s\)$/m);
    expect(r.stderr).toMatch(/^\[1\/1\] "card please"$/m);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.replace(/\D/g, '')).not.toContain('4111111111111111');
    const doc = parser.parse(xml).testsuites;
    expect(doc).toMatchObject({ name: 'compare', tests: '1', failures: '1', errors: '0' });
    expect(doc.testsuite.name).toBe('demo (scenario default) vs demo (scenario pii)');
    expect(doc.testsuite.testcase[0].name).toBe('turn 1: card please');
    expect(doc.testsuite.testcase[0].failure.type).toBe('text');
    expect(doc.testsuite.testcase[0].failure['#text']).toContain('+- Card: [CREDIT_CARD]');

    const raw = await runCli(['compare', '--env', 'demo', '--scenario-b', 'pii', '--input', 'card please', '--speed', '0', '--raw'], { env });
    expect(raw.stdout).toContain('    +- Card: 4111 1111 1111 1111');
  });

  it('answers alike exit 0; a script compares turn by turn; two policies differ only where the policy does, so a similarity lets them pass', async () => {
    const policy = join(dir, 'partial.json');
    writeFileSync(policy, JSON.stringify({ version: 1, actions: { CREDIT_CARD: 'partial' } }));
    // Without PII in the answer two policies answer alike.
    const same = await runCli(['compare', '--env', 'demo', '--policy-b', policy, '--input', 'What is streaming?', '--speed', '0'], { env });
    expect(same.code, same.stdout).toBe(0);
    expect(same.stdout).toMatch(/^ {2}→ alike \(similarity 1\.000\)$/m);
    expect(same.stdout).toMatch(/^ALIKE: 1 turn: 1 alike, 0 differ/m);
    const script = join(dir, 'dialog.txt');
    writeFileSync(script, 'What is streaming?\n{"input": "card please", "scenario": "pii"}\n');
    const strict = await runCli(['compare', '--env', 'demo', '--policy-b', policy, '--script', script, '--speed', '0'], { env });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^A: demo \(policy default\)\nB: demo \(policy partial\.json\)\n/);
    expect(strict.stdout).toMatch(/^turn 1 "What is streaming\?": same/m);
    expect(strict.stdout).toMatch(/^turn 2 "card please": different/m);
    expect(strict.stdout).toMatch(/^DIFFERENT: 2 turns: 1 alike, 1 differ/m);
    const loose = await runCli(['compare', '--env', 'demo', '--policy-b', policy, '--script', script, '--speed', '0', '--similarity', '0.9'], { env });
    expect(loose.code, loose.stdout).toBe(0);
    expect(loose.stdout).toMatch(/^ALIKE: 2 turns: 2 alike, 0 differ \(alike from similarity 0\.9\)/m);
  });

  it.each([
    [['compare', '--input', 'x'], /--env NAME is required/],
    [['compare', '--env', 'demo', '--input', 'x'], /both sides are the same: give a second --env, or --policy-a\/--policy-b, or --scenario-a\/--scenario-b/],
    [['compare', '--env', 'demo', '--env', 'demo', '--env', 'demo', '--input', 'x'], /compare takes one or two --env, got 3/],
    [['compare', '--env', 'demo', '--scenario-b', 'pii'], /give exactly one of --input TEXT or --script FILE/],
    [['compare', '--env', 'demo', '--scenario-b', 'pii', '--input', 'x', '--script', 'y'], /give exactly one of --input TEXT or --script FILE/],
    [['compare', '--env', 'demo', '--scenario-b', 'nope', '--input', 'x'], /unknown scenario "nope"/],
    [['compare', '--env', 'demo', '--scenario-b', 'pii', '--input', 'x', '--similarity', '2'], /--similarity must be a number between 0 and 1/],
  ])('%j is refused (exit 2)', async (argv, message) => {
    const r = await runCli(argv, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a broken script names its file, line and field (exit 2)', async () => {
    const script = join(dir, 'bad.txt');
    writeFileSync(script, 'fine\n{"input": "x", "assert": [{"kind": "ttft"}]}\n');
    const r = await runCli(['compare', '--env', 'demo', '--scenario-b', 'pii', '--script', script], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${script}: line 2: assert[0].max: required`);
  });
});
