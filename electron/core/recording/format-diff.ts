// Plain-text rendering of a CassetteDiff for terminals (the CLI `diff` command). No colours: the output
// is also read in CI logs.
import type { FilterHit } from '../../../shared/events';
import type { CassetteDiff, Delta, TurnDiff } from './cassette-diff';

function num(d: Delta, unit = ''): string {
  const f = (x: number | undefined) => (x === undefined ? '–' : `${Math.round(x)}${unit}`);
  const sign = d.delta === undefined ? '' : ` (${d.delta >= 0 ? '+' : '−'}${Math.abs(Math.round(d.delta))}${unit})`;
  return `${f(d.a)} → ${f(d.b)}${sign}`;
}

function list(xs: number[], max = 12): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')}, … (${xs.length - max} more)`;
}

function hit(h: FilterHit): string {
  return `${h.type} (${h.action}) raw ${h.rawStart}–${h.rawEnd}, out ${h.outStart}–${h.outEnd}`;
}

export function shortText(s: string | undefined, max = 60): string {
  if (s === undefined) return '(none)';
  const one = JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
  return one;
}

function indent(text: string, by = '    '): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export interface FormatDiffOptions {
  /** Show the raw text's diff (default true); false says only whether it differs, for output that may end up in logs. */
  raw?: boolean;
}

export function formatTurnDiff(t: TurnDiff, o: FormatDiffOptions = {}): string {
  const out: string[] = [];
  const title = `turn ${t.index + 1} ${shortText(t.input.a ?? t.input.b)}`;
  if (t.onlyIn) {
    out.push(`${title}: only in ${t.onlyIn.toUpperCase()}`);
    return out.join('\n');
  }
  if (t.same) return `${title}: same · ${t.tokens.a} tokens · TTFT ${num(t.timing.ttftMs, ' ms')} · duration ${num(t.timing.durationMs, ' ms')}`;
  out.push(`${title}: different (${t.differs.join(', ')})`);
  if (!t.input.same) out.push(`  input: ${shortText(t.input.a)} → ${shortText(t.input.b)}`);
  out.push(`  status: ${t.status.a} → ${t.status.b}${t.status.same ? '' : '  (changed)'}`);
  if (t.filtered) out.push(t.filtered.same ? '  filtered text: same' : `  filtered text (similarity ${t.filtered.similarity.toFixed(3)}):\n${indent(t.filtered.patch)}`);
  if (t.raw && o.raw === false) out.push(t.raw.same ? '  raw text: same' : `  raw text: different (similarity ${t.raw.similarity.toFixed(3)}; --raw shows it)`);
  else if (t.raw) out.push(t.raw.same ? '  raw text: same' : `  raw text (similarity ${t.raw.similarity.toFixed(3)}):\n${indent(t.raw.patch)}`);
  else out.push('  raw text: not compared (redacted)');
  const tk = t.tokens;
  if (tk.same) out.push(`  tokens: ${tk.a}, same boundaries`);
  else {
    const parts = [`${tk.a} → ${tk.b}`];
    if (tk.added.length) parts.push(`cut added at ${list(tk.added)}`);
    if (tk.removed.length) parts.push(`cut gone at ${list(tk.removed)}`);
    out.push(`  tokens: ${parts.join('; ')}`);
  }
  if (t.hits.added.length || t.hits.gone.length) {
    for (const h of t.hits.added) out.push(`  hit added: ${hit(h)}`);
    for (const h of t.hits.gone) out.push(`  hit gone:  ${hit(h)}`);
  } else if (t.hits.same) out.push(`  hits: ${t.hits.same}, same`);
  if (!t.errors.same) out.push(`  errors: [${t.errors.a.join(', ')}] → [${t.errors.b.join(', ')}]`);
  if (t.leaks.a || t.leaks.b) out.push(`  leak events: ${t.leaks.a} → ${t.leaks.b}`);
  out.push(`  usage total: ${num(t.usage.total)}${t.usage.same ? '' : `  (prompt ${num(t.usage.prompt)}, completion ${num(t.usage.completion)})`}`);
  out.push(`  timing: TTFT ${num(t.timing.ttftMs, ' ms')}, duration ${num(t.timing.durationMs, ' ms')}`);
  return out.join('\n');
}

export function formatCassetteDiff(d: CassetteDiff, names: { a: string; b: string }): string {
  const out: string[] = [`A: ${names.a} (${d.turnCount.a} turn${d.turnCount.a === 1 ? '' : 's'})`, `B: ${names.b} (${d.turnCount.b} turn${d.turnCount.b === 1 ? '' : 's'})`];
  for (const h of d.headerChanges) out.push(`header: ${h}`);
  for (const n of d.notes) out.push(`note: ${n}`);
  for (const t of d.turns) out.push(formatTurnDiff(t));
  const differing = d.turns.filter((t) => !t.same).length;
  out.push(d.same ? `same: ${d.turns.length} turn${d.turns.length === 1 ? '' : 's'} match` : `different: ${differing} of ${d.turns.length} turns differ`);
  return out.join('\n');
}
