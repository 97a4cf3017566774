// A command loads only what it needs (issue 13): the built CLI run as a real process, with a module hook
// that reports every file it loads; a bundled chunk is judged by the sources its source map names.
// And every command still starts: `<command> --help` through the same lazy table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../electron/cli/commands';
import { CLI, ensureCliBuilt } from '../helpers/cli';

// Runs in the loader's own thread: one line per file loaded, on stderr.
const HOOKS = `import { writeSync } from 'node:fs';
export async function load(url, context, next) {
  writeSync(2, 'LOADED ' + url + '\\n');
  return next(url, context);
}`;

let dir: string;
let register: string;
beforeAll(async () => {
  await ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'cli-lazy-'));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, HOOKS);
  register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI with `args` and `input`; what it printed and the sources of every file it loaded. */
function run(args: string[], input = '') {
  const r = spawnSync(process.execPath, ['--import', register, CLI, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  const urls = [...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!);
  const files = urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)).filter((f) => f !== join(dir, 'hooks.mjs'));
  const sources = files.flatMap((f) => {
    const map = `${f}.map`;
    if (!existsSync(map)) return [f];
    return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((s) => join(f, '..', s));
  });
  const builtins = urls.filter((u) => u.startsWith('node:'));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^LOADED .*\n/gm, ''), sources, builtins };
}

const loads = (sources: string[], what: RegExp) => sources.filter((s) => what.test(s.replaceAll('\\', '/')));

describe('the filter command loads only the filter', () => {
  it('with the default policy: no validator (zod), tokenizer, Socket.IO, keychain, session engine, simulator or node:crypto', () => {
    const r = run(['filter', '--hash-salt', 's'], `${JSON.stringify({ id: 1, chunks: ['call 030 1234567 or jane@example.com'] })}\n`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 1, output: 'call [PHONE_NUMBER] or [EMAIL_ADDRESS]' });
    expect(loads(r.sources, /electron\/core\/filters\/stream-filter\.ts$/)).toHaveLength(1);
    expect(loads(r.sources, /node_modules\/(zod|gpt-tokenizer|socket\.io[^/]*|engine\.io[^/]*|ws|@napi-rs|re2js)\//)).toEqual([]);
    expect(loads(r.sources, /(shared\/policy-schema|shared\/scenarios|electron\/core\/(session|simulator|keychain|environments|recording))/)).toEqual([]);
    // Only "hash" pseudonyms need it (electron/core/util/node-crypto.ts loads it then).
    expect(r.builtins.filter((b) => /^node:crypto$/.test(b))).toEqual([]);
  });

  it('with a policy file: validated (zod loads then) and its errors unchanged', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ version: 1, actions: { EMAIL_ADDRESS: 'hash' } }));
    const ok = run(['filter', '--policy', good, '--hash-salt', 's'], `${JSON.stringify({ id: 'a', chunks: ['jane@example.com'] })}\n`);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { output: string }).output).toMatch(/^\[EMAIL_ADDRESS:[0-9a-f]{8}\]$/);
    expect(loads(ok.sources, /shared\/policy-schema\.ts$/)).toHaveLength(1);

    // What the validator finds, and what only compiling finds (a pattern RE2 cannot run linearly).
    const shape = join(dir, 'shape.json');
    writeFileSync(shape, JSON.stringify({ version: 1, actions: { EMAIL_ADDRESS: 'shred' } }));
    const r1 = run(['filter', '--policy', shape]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toBe(`error: policy file ${shape}: actions.EMAIL_ADDRESS: must be one of mask, partial, hash, block, off\nRun "npm run cli -- filter --help" for usage.\n`);
    const linear = join(dir, 'linear.json');
    writeFileSync(linear, JSON.stringify({ version: 1, custom: [{ name: 'EVIL', pattern: 'a(?=b)', maxLength: 5 }] }));
    const r2 = run(['filter', '--policy', linear]);
    expect(r2.code).toBe(2);
    expect(r2.stderr.split('\n')[0]).toBe(`error: policy file ${linear}: custom[0].pattern: lookahead ((?= or (?!) is not supported: user patterns run on a linear-time engine (RE2)`);
  });
});

describe('every command starts through the lazy command table', () => {
  it.each(Object.keys(commands))('%s --help exits 0 with its usage', (name) => {
    const r = run([name, '--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run cli -- /);
  });
});
