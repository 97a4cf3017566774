// A folder of the app's own named files (dialog scripts, recordings): what both stores share — a name
// becomes a path only if it matches the contract's strict pattern and resolves directly inside the folder,
// and a missing or unreadable file is an AppError naming the thing the user knows (never a raw errno).
// Must never let a name reach outside its folder.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { AppError } from './app-error';

export interface NamedFiles {
  readonly dir: string;
  /** The path of `file`; invalid-request `not a <idWord>: "<shown>"` for anything but a plain valid name. */
  pathOf(file: string, shown?: string): string;
  readText(file: string, shown?: string): Promise<string>;
  remove(file: string, shown?: string): Promise<void>;
  /** The valid file names in the folder (created when missing). */
  files(): Promise<string[]>;
}

export function namedFiles(dir: string, o: { kind: string; idWord: string; valid: (file: string) => boolean }): NamedFiles {
  const root = resolve(dir);
  const pathOf = (file: string, shown = file) => {
    const p = resolve(root, file);
    if (!o.valid(file) || dirname(p) !== root || basename(p) !== file) throw new AppError('invalid-request', `not a ${o.idWord}: ${JSON.stringify(shown).slice(0, 120)}`);
    return p;
  };
  return {
    dir: root,
    pathOf,
    async readText(file, shown = file) {
      try {
        return await readFile(pathOf(file, shown), 'utf8');
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not-found', `no ${o.kind} "${shown}"`);
        throw new AppError('failed', `cannot read ${o.kind} "${shown}": ${(err as Error).message}`);
      }
    },
    async remove(file, shown = file) {
      try {
        await unlink(pathOf(file, shown));
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not-found', `no ${o.kind} "${shown}"`);
        throw err;
      }
    },
    async files() {
      await mkdir(root, { recursive: true });
      return (await readdir(root)).filter((f) => o.valid(f));
    },
  };
}
