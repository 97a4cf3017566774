// Builds the CLI once if it is missing or older than the sources, for tests that need a real process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
export const CLI = join(root, 'out/cli/index.js');

/** Newest mtime of any file under dir (for build-if-stale checks). */
export function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export async function ensureCliBuilt(): Promise<void> {
  const src = Math.max(newest(join(root, 'electron/core')), newest(join(root, 'electron/cli')), newest(join(root, 'shared')), statSync(join(root, 'vite.cli.config.ts')).mtimeMs);
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= src) return;
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'error'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CLI build failed:\n${r.stdout}\n${r.stderr}`);
}
