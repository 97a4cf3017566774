#!/usr/bin/env node
// `npm start`: builds what is missing or stale (the app bundles and the CLI), then starts the desktop app
// when the Electron binary is installed; otherwise (no binary can be downloaded on some machines, see README)
// it falls back to browser mode: `ui` serves the same renderer and engine on 127.0.0.1, prints
// `ui ready at http://127.0.0.1:N/?token=...` and opens it when a display is available.
// Extra arguments go to `ui` in browser mode (e.g. `npm start -- --port 8080 --no-open`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_NODE_OPTIONS } from './cli-node-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|tsx|css|html|json)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

function build(what, argv) {
  process.stderr.write(`building ${what}…\n`);
  const r = spawnSync(process.execPath, argv, {
    cwd: root,
    stdio: ['ignore', 2, 2],
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (r.status !== 0) {
    process.stderr.write(`error: building ${what} failed\n`);
    process.exit(r.status ?? 1);
  }
}

const sources = Math.max(newest(join(root, 'electron')), newest(join(root, 'shared')), newest(join(root, 'renderer')), mtime(join(root, 'package.json')));
const appBuilt = Math.min(mtime(join(root, 'out/main/index.js')), mtime(join(root, 'out/preload/index.cjs')), mtime(join(root, 'out/renderer/index.html')));
if (appBuilt < sources) build('the app (main, preload, renderer)', [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'error']);
if (mtime(join(root, 'out/cli/index.js')) < sources) build('the CLI', [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'error']);

/** Path of the Electron binary, or undefined when it was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD). */
function electronBinary() {
  try {
    // The electron package's main export is the binary's path; it throws when the download was skipped.
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function run(cmd, argv) {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

const electron = electronBinary();
if (electron) {
  run(electron, [root]);
} else {
  process.stderr.write(
    'The Electron binary is not installed (it cannot be downloaded here): starting browser mode instead.\n' +
      'The same UI and engine run at the URL below; stop with Ctrl-C.\n',
  );
  run(process.execPath, [...CLI_NODE_OPTIONS, join(root, 'out/cli/index.js'), 'ui', ...args]);
}
