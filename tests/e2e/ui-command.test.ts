// The `ui` command's contract around the server: usage, a missing build, a port in use. (The served UI
// itself is exercised in ui.test.ts through a real process.)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/index';
import type { CliIO } from '../../electron/cli/cli-io';
import { findRendererDir } from '../../electron/cli/commands/ui';
import { ROOT } from './ui-harness';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const xdg = mkdtempSync(join(tmpdir(), 'ui-cmd-'));
  dirs.push(xdg);
  const ac = new AbortController();
  const io: CliIO = { stdin: new PassThrough(), stdout, stderr, env: { XDG_CONFIG_HOME: xdg, ...env }, signal: ac.signal, isTTY: false };
  const code = await main(['ui', ...argv], io);
  return { code, stdout: out, stderr: err };
}

describe('ui command', () => {
  it('prints its usage with --help and refuses bad options', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run cli -- ui \[--port N\] \[--no-open\]/);
    expect((await run(['--port', 'abc'])).code).toBe(2);
    expect((await run(['--port', '70000'])).stderr).toMatch(/--port must be an integer 0\.\.65535/);
    expect((await run(['--bogus'])).code).toBe(2);
  });

  it('says to run `npm run build` when the renderer is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-renderer-'));
    dirs.push(empty);
    const r = await run(['--no-open'], { STREAM_DEBUGGER_RENDERER_DIR: empty });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/the UI is not built .*run `npm run build` first/);
  });

  it('names a port that is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await run(['--port', String(port), '--no-open'], { STREAM_DEBUGGER_RENDERER_DIR: join(ROOT, 'out/renderer') });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('finds out/renderer from the built CLI and from the sources', () => {
    expect(findRendererDir({}, join(ROOT, 'out/cli'))).toBe(join(ROOT, 'out/renderer'));
    expect(findRendererDir({}, join(ROOT, 'electron/cli/commands'))).toBe(join(ROOT, 'out/renderer'));
  });
});
