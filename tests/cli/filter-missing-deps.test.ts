// The built CLI reads one file of its dependencies at run time, the first time a text needs it (issue 13):
// libphonenumber-js's metadata for phone numbers. Run from a copy of the build outside the project, that file
// cannot be found. The filter must then fail with an error that says what is missing, never answer
// "not a phone number" and release the number unmasked.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureCliBuilt } from '../helpers/cli';

let dir: string;
let copied: string;
beforeAll(async () => {
  await ensureCliBuilt();
  // A temp dir has no node_modules above it.
  dir = mkdtempSync(join(tmpdir(), 'cli-nodeps-'));
  cpSync(dirname(CLI), join(dir, 'cli'), { recursive: true });
  copied = join(dir, 'cli', 'index.js');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PHONE = '+1 415 555 2671';
const run = (entry: string, text: string) =>
  spawnSync(process.execPath, [entry, 'filter'], { input: `${JSON.stringify({ id: 'a', chunks: [text] })}\n`, encoding: 'utf8', timeout: 20_000 });

describe('filter CLI without its dependencies on disk', () => {
  it('inside the project the international number is masked (the copy below differs only in where it runs)', () => {
    const r = run(CLI, `call ${PHONE} now`);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'a', output: 'call [PHONE_NUMBER] now' });
  });

  it('a copy outside it fails naming the missing metadata, and never prints the number', () => {
    const r = run(copied, `call ${PHONE} now`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PHONE_NUMBER detector: cannot load libphonenumber-js/metadata.max.json');
    expect(r.stderr).toContain('npm install');
    expect(r.stdout).not.toContain('415');
    expect(r.stderr).not.toContain('415');
  });

  it('a copy outside it still answers texts that need no metadata', () => {
    const r = run(copied, 'card 4111 1111 1111 1111 ok');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ output: 'card [CREDIT_CARD] ok' });
  });
});
