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
