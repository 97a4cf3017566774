#!/usr/bin/env node
// `npm run cli -- ...`: runs the built CLI, building it first when the sources are newer than the build
// (so a fresh clone or an edited tree never runs stale code). Build messages go to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'out/cli/index.js');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|tsx|json)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function stale() {
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  const src = Math.max(newest(join(root, 'electron/core')), newest(join(root, 'electron/cli')), newest(join(root, 'shared')), ...['package.json', 'vite.cli.config.ts'].map((f) => statSync(join(root, f)).mtimeMs));
  return src > built;
}

if (process.env.STREAM_DEBUGGER_NO_BUILD !== '1' && stale()) {
  process.stderr.write('building the CLI (sources changed)…\n');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
process.setSourceMapsEnabled?.(true);
const cli = await import(pathToFileURL(entry).href);
cli.runFromProcess(process.argv.slice(2));
