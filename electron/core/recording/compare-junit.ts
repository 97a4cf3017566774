// JUnit XML of a compare run, for CI: one <testsuite> ("A vs B"), one <testcase> per turn, a <failure>
// naming the checks on which the two answers differ beyond the similarity (with the text diff), an <error>
// when a side could not run the turn. Same escaping as the replay's JUnit.
import type { CompareReport, CompareTurnResult } from './compare';
import { checkLine, turnName } from './junit';
import { xmlAttr, xmlText } from './xml-escape';

const secs = (ms: number) => (ms / 1000).toFixed(3);

function details(r: CompareReport, t: CompareTurnResult): string {
  const out: string[] = [];
  for (const side of ['a', 'b'] as const) {
    const e = t.errors[side];
    if (e) out.push(`error on ${r[side].label}: ${e}`);
  }
  for (const c of t.checks.filter((x) => !x.ok)) {
    out.push(`check ${c.check}`, `  expected: ${c.expected}`, `  got:      ${c.got}`);
    if (c.diff) out.push(c.diff.replace(/\n$/, ''));
  }
  return out.join('\n');
}

function testcase(r: CompareReport, t: CompareTurnResult): string {
  const open = `    <testcase classname="compare" name="${xmlAttr(turnName(t))}" time="${secs(t.timeMs)}"`;
  if (t.ok) return `${open}/>`;
  const body = xmlText(details(r, t));
  const errors = Object.values(t.errors).filter(Boolean);
  if (errors.length) return `${open}>\n      <error message="${xmlAttr(errors.join('; '))}" type="error">${body}</error>\n    </testcase>`;
  const failed = t.checks.filter((x) => !x.ok);
  return `${open}>\n      <failure message="${xmlAttr(failed.map(checkLine).join('; '))}" type="${xmlAttr(failed.map((f) => f.check).join(','))}">${body}</failure>\n    </testcase>`;
}

export function compareJunitXml(r: CompareReport): string {
  const name = `${r.a.label} vs ${r.b.label}`;
  const errors = r.turns.filter((t) => Object.values(t.errors).some(Boolean)).length;
  const failures = r.turns.filter((t) => !t.ok).length - errors;
  const tests = r.turns.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="compare" tests="${tests}" failures="${failures}" errors="${errors}" time="${secs(r.timeMs)}">`,
    `  <testsuite name="${xmlAttr(name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${r.notRun}" time="${secs(r.timeMs)}" timestamp="${xmlAttr(r.startedAt.replace(/Z$/, ''))}">`,
    '    <properties>',
    `      <property name="a" value="${xmlAttr(r.a.label)}"/>`,
    `      <property name="b" value="${xmlAttr(r.b.label)}"/>`,
    `      <property name="similarity" value="${r.similarity}"/>`,
    '    </properties>',
    ...r.turns.map((t) => testcase(r, t)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
