// `ui`: browser mode. Serves the built renderer and the WebSocket bridge (the same IPC contract as the
// Electron preload) on 127.0.0.1, prints `ui ready at http://127.0.0.1:N/?token=...` on stdout (scripts
// depend on that line), opens it in the browser when a display exists, and serves until SIGINT/SIGTERM.
// Must never import vite (or anything of the build) at run time, and never bind beyond loopback.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDefaultDeps } from '../../core/app/default-deps';
import { createBridgeServer } from '../../core/bridge/bridge-server';
import { configDir } from '../../core/environments/config-dir';
import { EXIT, line, listenFailure, type CliIO } from '../cli-io';
import { HELP_OPTION, parseOptions, parsePort, parseSpeed } from '../options';

const HELP = `Usage: npm run cli -- ui [--port N] [--no-open]

Browser mode: serves the desktop app's UI on http://127.0.0.1:N with a WebSocket bridge to the same engine
(same data dir, same keychain), prints "ui ready at http://127.0.0.1:N/?token=..." and opens it in your
browser when a display is available. The token is new each run; the bridge refuses clients without it.
Needs the built renderer (out/renderer): run \`npm run build\` first (\`npm start\` does it for you).

Options:
  --port N      port on 127.0.0.1 (default 0: a free port)
  --no-open     do not open a browser
  --speed F     demo only: simulator pacing (1 realistic, 0 as fast as possible)
  -h, --help    this text`;

/** Env override for the renderer build (tests, packaging). */
export const RENDERER_DIR_VAR = 'STREAM_DEBUGGER_RENDERER_DIR';

/** out/renderer next to the built CLI (out/cli), or under the project root when run from source. */
export function findRendererDir(env: NodeJS.ProcessEnv, from: string = dirname(fileURLToPath(import.meta.url))): string {
  if (env[RENDERER_DIR_VAR]) return resolve(env[RENDERER_DIR_VAR]);
  let dir = from;
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, 'renderer'), join(dir, 'out', 'renderer')]) {
      if (existsSync(join(candidate, 'index.html')) && existsSync(join(candidate, 'assets'))) return candidate;
    }
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'out', 'renderer');
    dir = dirname(dir);
  }
  return join(from, '..', 'renderer');
}

function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

function openBrowser(url: string, io: CliIO): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => line(io.stderr, `could not start ${cmd}: open the URL above yourself`));
    child.unref();
  } catch {
    line(io.stderr, `could not start ${cmd}: open the URL above yourself`);
  }
}

export async function uiCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(argv, { port: { type: 'string' }, 'no-open': { type: 'boolean', default: false }, speed: { type: 'string' }, ...HELP_OPTION });
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  const port = parsePort(values.port, 0);
  const speed = parseSpeed(values.speed);

  const staticDir = findRendererDir(io.env);
  if (!existsSync(join(staticDir, 'index.html'))) {
    line(io.stderr, `error: the UI is not built (no ${join(staticDir, 'index.html')}): run \`npm run build\` first (or \`npm start\`, which builds and starts it)`);
    return EXIT.error;
  }

  const dataDir = configDir(io.env);
  const deps = createDefaultDeps({ mode: 'browser', dataDir, demoSpeed: speed });
  let bridge;
  try {
    bridge = await createBridgeServer({ deps, staticDir, port, onLog: (l) => line(io.stderr, l) });
  } catch (err) {
    await deps.dispose();
    const problem = listenFailure(err, port);
    if (!problem) throw err;
    line(io.stderr, `error: ${problem}`);
    return EXIT.error;
  }
  line(io.stdout, `ui ready at ${bridge.url}`);
  line(io.stderr, `data dir: ${dataDir}\nstop with Ctrl-C`);
  if (!values['no-open'] && hasDisplay(io.env)) openBrowser(bridge.url, io);

  await new Promise<void>((done) => {
    if (io.signal.aborted) return done();
    io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await bridge.close();
  await deps.dispose();
  return EXIT.ok;
}
