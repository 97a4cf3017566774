// The dialog script `record` reads: one user input per line, or a JSON line {"input": "...", "scenario":
// "pii"} for a turn with its own scenario. Blank lines and lines starting with '#' are skipped. A bad line
// is named by number; nothing is guessed.
import { z } from 'zod';
import { jsonErrorPosition } from '../util/json-error';

export interface ScriptTurn {
  input: string;
  scenario?: string;
  /** 1-based line in the script. */
  line: number;
}

const JsonTurn = z.strictObject({
  input: z.string().min(1, 'input must not be empty'),
  scenario: z.string().min(1).optional(),
});

export class ScriptError extends Error {
  override name = 'ScriptError';
}

export function parseDialogScript(text: string, source = 'script', isScenario?: (s: string) => boolean): ScriptTurn[] {
  const turns: ScriptTurn[] = [];
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
        throw new ScriptError(`${source}: line ${n}: invalid JSON${jsonErrorPosition(err)} (a line starting with "{" must be a JSON turn {"input": "...", "scenario": "..."})`);
      }
      const parsed = JsonTurn.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ScriptError(`${source}: line ${n}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      if (parsed.data.scenario !== undefined && isScenario && !isScenario(parsed.data.scenario)) {
        throw new ScriptError(`${source}: line ${n}: unknown scenario "${parsed.data.scenario}"`);
      }
      turns.push({ input: parsed.data.input, line: n, ...(parsed.data.scenario !== undefined ? { scenario: parsed.data.scenario } : {}) });
    });
  if (turns.length === 0) throw new ScriptError(`${source}: no user input (one per line, or {"input": "..."} JSON lines)`);
  return turns;
}
