// The dialog scripts of the app: `<dataDir>/dialogs/<name>.txt`, the very file format `record --script`
// reads (so a script written in the app runs in CI as it is). Checked with the shared script validator,
// every problem named by its line and field; a script that does not parse is never saved (the editor keeps
// the text).
// Must never let a name reach outside the dialogs folder.
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RECORDING_NAME_PATTERN } from '../../../shared/recordings-ipc';
import type { DialogEntry, ScriptCheck } from '../../../shared/qa-ipc';
import { validateDialogScript, type ScriptTurn } from '../../../shared/dialog-script';
import { AppError } from './app-error';
import { namedFiles } from './named-files';

/** Every problem of a script by its line (and field), from the shared validator `record --script` uses. */
export function checkScript(text: string): ScriptCheck & { parsed?: ScriptTurn[] } {
  const r = validateDialogScript(text);
  if (r.ok) return { parsed: r.turns, turns: r.turns.map((t) => ({ line: t.line, input: t.input, ...(t.scenario !== undefined ? { scenario: t.scenario } : {}), ...(t.assert ? { assert: t.assert } : {}) })), errors: [] };
  return { turns: [], errors: r.errors.map((e) => ({ line: e.line, message: e.path === '(line)' ? e.message : `${e.path}: ${e.message}` })) };
}

export interface DialogsStore {
  readonly dir: string;
  list(): Promise<DialogEntry[]>;
  read(name: string): Promise<string>;
  /** Parses the saved script for a run (a problem is an invalid-request naming the line). */
  turns(name: string): Promise<ScriptTurn[]>;
  save(name: string, text: string): Promise<DialogEntry>;
  remove(name: string): Promise<void>;
}

export function createDialogsStore(dataDir: string): DialogsStore {
  const folder = namedFiles(resolve(dataDir, 'dialogs'), { kind: 'dialog', idWord: 'dialog name', valid: (f) => f.endsWith('.txt') && RECORDING_NAME_PATTERN.test(f.slice(0, -4)) });
  const { dir } = folder;
  const pathOf = (name: string) => folder.pathOf(`${name}.txt`, name);
  const read = (name: string) => folder.readText(`${name}.txt`, name);
  async function entry(name: string): Promise<DialogEntry> {
    const [text, st] = await Promise.all([read(name), stat(pathOf(name))]);
    const check = checkScript(text);
    const first = check.errors[0];
    return { name, turns: check.turns.length, updatedAt: st.mtime.toISOString(), ...(first ? { problem: first.line ? `line ${first.line}: ${first.message}` : first.message } : {}) };
  }
  return {
    dir,
    async list() {
      const names = (await folder.files()).map((f) => f.slice(0, -4));
      const entries = await Promise.all(names.map((n) => entry(n).catch(() => undefined)));
      return entries.filter((e): e is DialogEntry => e !== undefined).sort((a, b) => a.name.localeCompare(b.name));
    },
    read,
    async turns(name) {
      const check = checkScript(await read(name));
      const first = check.errors[0];
      if (first || !check.parsed) throw new AppError('invalid-request', `${name}.txt: ${first?.line ? `line ${first.line}: ` : ''}${first?.message ?? 'invalid'}`);
      return check.parsed;
    },
    async save(name, text) {
      const check = checkScript(text);
      const first = check.errors[0];
      if (first) throw new AppError('invalid-request', `not saved: ${first.line ? `line ${first.line}: ` : ''}${first.message}`);
      await mkdir(dir, { recursive: true });
      // Written whole or not at all: a half-written script would record half a dialog.
      const p = pathOf(name);
      const tmp = `${p}.tmp-${process.pid}`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, p);
      return entry(name);
    },
    remove: (name) => folder.remove(`${name}.txt`, name),
  };
}
