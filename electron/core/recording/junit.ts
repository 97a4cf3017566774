// JUnit XML for CI systems: one <testsuite> per cassette, one <testcase> per turn, a <failure> naming the
// failed checks (expected vs got, plus the text diff) and an <error> when a turn or a cassette could not
// run. Every string goes through the XML 1.0 escaping, whatever a token held.
import type { CheckResult } from './checks';
import type { CassetteReplayResult, ReplayReport, ReplayTurnResult } from './replay-runner';
import { xmlAttr, xmlText } from './xml-escape';

const secs = (ms: number) => (ms / 1000).toFixed(3);

export function turnName(t: Pick<ReplayTurnResult, 'index' | 'input'>, max = 80): string {
  const oneLine = t.input.replace(/\s+/g, ' ').trim();
  return `turn ${t.index + 1}: ${oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine}`;
}

export function checkLine(c: CheckResult): string {
  return `${c.check}: expected ${c.expected}, got ${c.got}`;
}

/** Human-readable failure details of one turn (also what the CLI prints). */
export function failureDetails(t: ReplayTurnResult): string {
  const out: string[] = [];
  if (t.scenario) out.push(`scenario: ${t.scenario}`);
  if (t.error) out.push(`error: ${t.error}`);
  for (const c of t.checks.filter((x) => !x.ok)) {
    out.push(`check ${c.check}${c.at ? ` (${c.at})` : ''}`, `  expected: ${c.expected}`, `  got:      ${c.got}`);
    if (c.diff) out.push(c.diff.replace(/\n$/, ''));
  }
  return out.join('\n');
}

function classname(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\.jsonl?$/i, '').replace(/\//g, '.');
}

/** Every Webchat warning of the replayed turn (new or recorded), so CI shows what end users would miss. */
function webchatOut(t: ReplayTurnResult): string {
  const w = t.replayed?.webchat?.warnings ?? [];
  return w.length ? `\n      <system-out>${xmlText(w.map((x) => `webchat ${x.kind}: ${x.detail}`).join('\n'))}</system-out>` : '';
}

function testcase(c: CassetteReplayResult, t: ReplayTurnResult): string {
  const open = `    <testcase classname="${xmlAttr(classname(c.path))}" name="${xmlAttr(turnName(t))}" time="${secs(t.timeMs)}"`;
  const out = webchatOut(t);
  if (t.ok) return out ? `${open}>${out}\n    </testcase>` : `${open}/>`;
  const failed = t.checks.filter((x) => !x.ok);
  const body = xmlText(failureDetails(t));
  if (t.error) return `${open}>\n      <error message="${xmlAttr(t.error)}" type="error">${body}</error>${out}\n    </testcase>`;
  const message = failed.map(checkLine).join('; ');
  const type = failed.map((f) => f.check).join(',');
  return `${open}>\n      <failure message="${xmlAttr(message)}" type="${xmlAttr(type)}">${body}</failure>${out}\n    </testcase>`;
}

function testsuite(c: CassetteReplayResult): string {
  const cases = c.turns.map((t) => testcase(c, t));
  let errors = c.turns.filter((t) => t.error).length;
  if (c.error && c.turns.length === 0) {
    errors++;
    cases.push(
      `    <testcase classname="${xmlAttr(classname(c.path))}" name="cassette" time="0.000">\n      <error message="${xmlAttr(c.error)}" type="cassette">${xmlText(c.error)}</error>\n    </testcase>`,
    );
  }
  const failures = c.turns.filter((t) => !t.ok && !t.error).length;
  const tests = cases.length;
  const props: string[] = [];
  if (c.assertionsPath) props.push(`      <property name="assertions" value="${xmlAttr(c.assertionsPath)}"/>`);
  const parts = [
    `  <testsuite name="${xmlAttr(c.path)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${secs(c.timeMs)}" timestamp="${xmlAttr(c.startedAt.replace(/Z$/, ''))}">`,
  ];
  if (props.length) parts.push('    <properties>', ...props, '    </properties>');
  parts.push(...cases);
  if (c.warnings.length) parts.push(`    <system-err>${xmlText(c.warnings.join('\n'))}</system-err>`);
  parts.push('  </testsuite>');
  return parts.join('\n');
}

export function junitXml(report: ReplayReport, name = 'cassette replay'): string {
  const suites = report.cassettes.map(testsuite);
  const tests = report.cassettes.reduce((n, c) => n + c.turns.length + (c.error && c.turns.length === 0 ? 1 : 0), 0);
  const { failed, errors } = report.totals;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(name)}" tests="${tests}" failures="${failed}" errors="${errors}" time="${secs(report.timeMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
