// The top-level help: every command once, each with a one-line summary a new user can choose from.
import { describe, expect, it } from 'vitest';
import { commands } from '../../electron/cli/commands';
import { runCli } from '../core/recording/helpers/in-process-cli';

describe('--help', () => {
  it('gives one line per command: its name and what it does', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^ {2}\S/.test(l));
    expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual(Object.keys(commands).sort());
    for (const l of lines) expect(l.trim().split(/\s{2,}/)[1]?.length ?? 0, l).toBeGreaterThan(20);
  });
});

describe('a command\'s own help', () => {
  // `-h` is what people type; every command answers it exactly as `--help`: its usage on stdout, exit 0,
  // nothing run (no keychain, no socket, no file read).
  for (const name of Object.keys(commands).sort()) {
    it(`${name}: -h and --help print the same usage and exit 0`, async () => {
      const long = await runCli([name, '--help']);
      const short = await runCli([name, '-h']);
      expect({ code: long.code, stderr: long.stderr }).toEqual({ code: 0, stderr: '' });
      expect(long.stdout).toMatch(/usage/i);
      expect(short).toEqual(long);
    });
  }
});
