// The dialog script (`record --script`, the app's Dialogs editor): the user inputs of a multi-turn dialog in
// order, one per line. A plain line is one input; a line starting with "{" is a JSON turn
// {"input": "...", "scenario": "pii", "assert": [...]} with its own simulator scenario and assertions
// (shared/assertions.ts). Blank lines and lines starting with "#" are skipped. Shared so the editor shows
// the CLI's errors as the user types. Every problem names its line and field; nothing is guessed, and a
// value is never quoted back (a script may hold a real card number as test input).
import { z } from 'zod';
import { Assertion } from './assertions';
import { jsonErrorLocation } from './json-location';
import { zodIssues } from './policy-schema';
import { ScenarioName, SCENARIOS } from './scenarios';

export interface ScriptTurn {
  input: string;
  scenario?: string;
  /** This turn's assertions, checked on the recording and on every replay of it (via the sidecar). */
  assert?: Assertion[];
  /** 1-based line in the script. */
  line: number;
}

export interface ScriptIssue {
  /** 1-based line of the script. */
  line: number;
  /** The field in that line's JSON turn (`assert[0].max`), `(line)` for the line itself. */
  path: string;
  message: string;
}

export type ScriptValidation = { ok: true; turns: ScriptTurn[]; errors: [] } | { ok: false; errors: ScriptIssue[] };

const JsonTurn = z.strictObject({
  input: z.string().min(1, 'must not be empty'),
  scenario: z.string().min(1, 'must not be empty').optional(),
  assert: z.array(Assertion).optional(),
});

export class ScriptError extends Error {
  override name = 'ScriptError';
  constructor(
    readonly source: string,
    readonly issues: ScriptIssue[],
  ) {
    super(issues.map((i) => formatScriptIssue(source, i)).join('\n'));
  }
}

export function formatScriptIssue(source: string, i: ScriptIssue): string {
  return `${source}: line ${i.line}: ${i.path === '(line)' ? '' : `${i.path}: `}${i.message}`;
}

export interface ScriptOptions {
  /** Which scenario names a turn may pick; default: the simulator's. */
  isScenario?: (s: string) => boolean;
}

/** Every problem of the script at once (for the editor); the turns when there is none. */
export function validateDialogScript(text: string, o: ScriptOptions = {}): ScriptValidation {
  const isScenario = o.isScenario ?? ((s: string) => ScenarioName.safeParse(s).success);
  const turns: ScriptTurn[] = [];
  const errors: ScriptIssue[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((rawLine, i) => {
      const line = rawLine.replace(/\r$/, '');
      const n = i + 1;
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      if (!line.trimStart().startsWith('{')) {
        turns.push({ input: line, line: n });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        const at = jsonErrorLocation(line, err);
        errors.push({ line: n, path: '(line)', message: `invalid JSON${at ? ` at column ${at.column}` : ''} (a line starting with "{" must be a JSON turn {"input": "...", "scenario": "...", "assert": [...]})` });
        return;
      }
      const parsed = JsonTurn.safeParse(json);
      if (!parsed.success) {
        for (const issue of zodIssues(parsed.error)) errors.push({ line: n, path: issue.path, message: issue.message });
        return;
      }
      const t = parsed.data;
      if (t.scenario !== undefined && !isScenario(t.scenario)) {
        errors.push({ line: n, path: 'scenario', message: `unknown scenario "${t.scenario.slice(0, 40)}" (one of ${SCENARIOS.join(', ')})` });
        return;
      }
      turns.push({ input: t.input, line: n, ...(t.scenario !== undefined ? { scenario: t.scenario } : {}), ...(t.assert?.length ? { assert: t.assert } : {}) });
    });
  if (errors.length) return { ok: false, errors };
  if (turns.length === 0) return { ok: false, errors: [{ line: 1, path: '(line)', message: 'no user input (one per line, or {"input": "..."} JSON lines)' }] };
  return { ok: true, turns, errors: [] };
}

/** The script's turns, or a ScriptError naming `source`, the line and the field of every problem. */
export function parseDialogScript(text: string, source = 'script', o: ScriptOptions = {}): ScriptTurn[] {
  const r = validateDialogScript(text, o);
  if (!r.ok) throw new ScriptError(source, r.errors);
  return r.turns;
}

/** A turn as one script line: plain when it can be, else a JSON turn (what the editor saves). */
export function scriptLine(t: Omit<ScriptTurn, 'line'>): string {
  const plain = !t.scenario && !t.assert?.length && t.input.trim() !== '' && !/[\r\n]/.test(t.input) && !t.input.trimStart().startsWith('{') && !t.input.trimStart().startsWith('#');
  if (plain) return t.input;
  return JSON.stringify({ input: t.input, ...(t.scenario ? { scenario: t.scenario } : {}), ...(t.assert?.length ? { assert: t.assert } : {}) });
}

/** The script text of some turns (one line each), readable by parseDialogScript. */
export function formatDialogScript(turns: ReadonlyArray<Omit<ScriptTurn, 'line'>>): string {
  return `${turns.map(scriptLine).join('\n')}\n`;
}
