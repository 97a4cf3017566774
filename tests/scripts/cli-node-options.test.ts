// The Node options the project starts the CLI with (scripts/cli-node-options.mjs) are the ones `npm run cli`
// passes (package.json cannot import them), and the CLI works under them: a `filter` run as a user's gets it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_NODE_OPTIONS } from '../../scripts/cli-node-options.mjs';
import { CLI, ensureCliBuilt } from '../helpers/cli';

const root = resolve(__dirname, '../..');

describe('the CLI\'s Node options', () => {
  beforeAll(ensureCliBuilt, 120_000);

  it('are the ones `npm run cli` starts it with', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(CLI_NODE_OPTIONS.length).toBeGreaterThan(0);
    expect(pkg.scripts.cli).toBe(['node', ...CLI_NODE_OPTIONS, 'scripts/cli.mjs'].join(' '));
  });

  // Linux: the threads are counted in /proc. Node starts four V8 workers by default; these options start one
  // per unit of the machine's parallelism beyond the main thread (at least one), the rest staying the same.
  it.runIf(process.platform === 'linux')('size V8\'s worker pool to the machine', () => {
    const threads = (options: readonly string[]) => {
      const r = spawnSync(process.execPath, [...options, '-e', 'process.stdout.write(String(require("node:fs").readdirSync("/proc/self/task").length))'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      return Number(r.stdout);
    };
    expect(threads(CLI_NODE_OPTIONS) - threads([])).toBe(Math.max(1, availableParallelism() - 1) - 4);
  });

  it('run the filter as a user\'s `npm run cli` does', () => {
    const input = `${JSON.stringify({ id: 'a', chunks: ['card 4111 1111', ' 1111 1111 ok'] })}\n`;
    const r = spawnSync(process.execPath, [...CLI_NODE_OPTIONS, CLI, 'filter'], { input, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'a', output: 'card [CREDIT_CARD] ok', hits: [{ type: 'CREDIT_CARD', start: 5, end: 24, action: 'mask' }] });
  });
});
