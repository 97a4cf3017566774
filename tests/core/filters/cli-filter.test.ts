// The `filter` command's JSONL contract (issue 4 §4), run in-process through the CLI's main().
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../../electron/cli/index';

const MEMORY_CHILD = fileURLToPath(new URL('./fixtures/filter-memory-child.ts', import.meta.url));

async function run(argv: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const done = main(['filter', ...argv], { stdin, stdout, stderr, env: {}, signal: new AbortController().signal, isTTY: false });
  // Written in small pieces, as a pipe delivers it.
  for (let i = 0; i < input.length; i += 7) stdin.write(input.slice(i, i + 7));
  stdin.end();
  const code = await done;
  return { code, stdout: out, stderr: err };
}

const lines = (s: string) => s.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('cli filter', () => {
  it('answers each JSONL line in order with released text and hits in input positions', async () => {
    const input = [
      JSON.stringify({ id: 'a', chunks: ['My card 4111 11', '11 1111 1111 ok'] }),
      JSON.stringify({ id: 'b', chunks: ['mail a.', 'b@c.', 'com! Pi is 3.', '14'] }),
      JSON.stringify({ id: 'c', chunks: [] }),
    ].join('\n');
    const r = await run([], `${input}\n`);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([
      { id: 'a', output: 'My card [CREDIT_CARD] ok', hits: [{ type: 'CREDIT_CARD', start: 8, end: 27, action: 'mask' }] },
      { id: 'b', output: 'mail [EMAIL_ADDRESS]! Pi is 3.14', hits: [{ type: 'EMAIL_ADDRESS', start: 5, end: 14, action: 'mask' }] },
      { id: 'c', output: '', hits: [] },
    ]);
    expect(r.stderr).toBe('');
  });

  it('joins lone surrogates sent as \\udXXX escapes across chunks', async () => {
    const r = await run([], '{"id":"s","chunks":["hi \\ud83d","\\ude00 4111111111111111"]}\n');
    expect(lines(r.stdout)).toEqual([{ id: 's', output: 'hi 😀 [CREDIT_CARD]', hits: [{ type: 'CREDIT_CARD', start: 6, end: 22, action: 'mask' }] }]);
  });

  it('keeps a lone surrogate that is never completed (JSON-escaped on output)', async () => {
    const r = await run([], '{"id":"s","chunks":["x \\ud83d"]}\n');
    expect(r.stdout).toContain('"output":"x \\ud83d"');
  });

  it('answers a malformed line in its place, on stdout and stderr, and goes on; exit 1', async () => {
    const input = [
      JSON.stringify({ id: 'ok1', chunks: ['fine'] }),
      'this is { not json 4111111111111111',
      JSON.stringify({ id: 'x' }),
      '',
      JSON.stringify({ id: 'y', chunks: ['a', 3] }),
      JSON.stringify({ id: 'ok2', chunks: ['jane@example.com'] }),
    ].join('\n');
    const r = await run([], input);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out.map((o) => o.id ?? `line ${String(o.line)}`)).toEqual(['ok1', 'line 2', 'x', 'y', 'ok2']);
    expect(out[1]).toEqual({ line: 2, error: 'line 2: not valid JSON' });
    expect(out[2]).toEqual({ line: 3, id: 'x', error: 'line 3: "chunks" is missing' });
    expect(out[3]).toEqual({ line: 5, id: 'y', error: 'line 5: chunks[1] must be a string' });
    expect(out[4]).toMatchObject({ id: 'ok2', output: '[EMAIL_ADDRESS]' });
    expect(r.stderr).toContain('line 2: not valid JSON');
    expect(r.stderr).toContain('line 5:');
    // Never echoes the content of a bad line.
    expect(r.stdout + r.stderr).not.toContain('4111');
  });

  it('never echoes detected values', async () => {
    const r = await run(['--hash-salt', 's'], `${JSON.stringify({ id: 'p', chunks: ['SSN 536-22-1234, card 4111111111111111'] })}\n`);
    expect(r.stdout).not.toMatch(/536-22-1234|4111111111111111/);
  });

  it('uses a policy file: actions, block, hash with a fixed salt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'filter-cli-'));
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ version: 1, actions: { CREDIT_CARD: 'partial', EMAIL_ADDRESS: 'hash', IBAN_CODE: 'block' } }));
    const input = [
      JSON.stringify({ id: '1', chunks: ['card 4111111111111111 mail jane@example.com'] }),
      JSON.stringify({ id: '2', chunks: ['pay GB82WEST', '12345698765432 now'] }),
    ].join('\n');
    const a = await run(['--policy', policy, '--hash-salt', 'k'], input);
    const b = await run(['--policy', policy, '--hash-salt', 'k'], input);
    expect(a.code).toBe(0);
    const [one, two] = lines(a.stdout);
    expect(one!.output).toMatch(/^card \*{12}1111 mail \[EMAIL_ADDRESS:[0-9a-f]{8}\]$/);
    expect(two).toEqual({ id: '2', output: 'pay ', hits: [{ type: 'IBAN_CODE', start: 4, end: 26, action: 'block' }], blocked: { type: 'IBAN_CODE' } });
    expect(b.stdout).toBe(a.stdout);
  });

  it('a bad policy file is exit 2 with the JSON path and reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'filter-cli-'));
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ version: 1, custom: [{ name: 'X', pattern: 'ORD-(', maxLength: 5 }], actions: { FOO: 'mask' } }));
    const r = await run(['--policy', policy], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('custom[0].pattern: invalid regular expression');
    expect(r.stderr).toContain('actions.FOO: unknown type');
    expect(r.stdout).toBe('');
    const missing = await run(['--policy', join(dir, 'nope.json')], '');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
    writeFileSync(policy, '{"version": 1,');
    expect((await run(['--policy', policy], '')).stderr).toContain('not valid JSON');
  });

  it('--help and unknown options', async () => {
    const h = await run(['--help'], '');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: npm run cli -- filter');
    const bad = await run(['--nope'], '');
    expect(bad.code).toBe(2);
  });

  it('streams large input line by line', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: String(i), chunks: ['call +1 415 ', '555 2671 ', 'x'.repeat(200)] })).join('\n');
    const r = await run([], many);
    const out = lines(r.stdout);
    expect(out).toHaveLength(2000);
    expect(out[1999]).toMatchObject({ id: '1999', output: `call [PHONE_NUMBER] ${'x'.repeat(200)}` });
  });
});

describe('cli filter: streaming I/O', () => {
  it('answers each line as soon as it is complete (a script may wait for it before writing the next), CRLF too', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const got: string[] = [];
    let buffered = '';
    const waiters: Array<() => void> = [];
    stdout.on('data', (d: Buffer) => {
      buffered += d.toString('utf8');
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        got.push(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        waiters.shift()?.();
      }
    });
    const nextLine = () =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no answer within 10 s: the line was held back')), 10_000);
        waiters.push(() => {
          clearTimeout(t);
          resolve(JSON.parse(got.at(-1)!) as Record<string, unknown>);
        });
      });
    const done = main(['filter', '--hash-salt', 's'], { stdin, stdout, stderr, env: {}, signal: new AbortController().signal, isTTY: false });
    let answer = nextLine();
    stdin.write('{"id":1,"chunks":["card 4111 1111 ","1111 1111"]}\r\n');
    expect(await answer).toEqual({ id: 1, output: 'card [CREDIT_CARD]', hits: [{ type: 'CREDIT_CARD', start: 5, end: 24, action: 'mask' }] });
    answer = nextLine();
    stdin.write('{"id":2,"chu');
    stdin.write('nks":["plain text"]}\n');
    expect(await answer).toEqual({ id: 2, output: 'plain text', hits: [] });
    answer = nextLine();
    stdin.end('{"id":3,"chunks":["no newline at the end"]}');
    expect(await answer).toEqual({ id: 3, output: 'no newline at the end', hits: [] });
    expect(await done).toBe(0);
    expect(got).toHaveLength(3);
  });
});

describe('cli filter: interrupted', () => {
  it('an abort while it waits for input ends the run at once, exit 1, after the lines answered so far', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    const first = new Promise<void>((resolve) => stdout.on('data', (d: Buffer) => ((out += d.toString('utf8')), out.includes('\n') && resolve())));
    const ac = new AbortController();
    const done = main(['filter', '--hash-salt', 's'], { stdin, stdout, stderr: new PassThrough(), env: {}, signal: ac.signal, isTTY: false });
    stdin.write('{"id":1,"chunks":["card 4111 1111 1111 1111"]}\n{"id":2,"chunks":["half a li');
    await first;
    ac.abort(new Error('interrupted by SIGINT'));
    expect(await done).toBe(1);
    // The half line is not answered as if it were whole, and nothing is read after the abort.
    stdin.write('ne"]}\n');
    expect(lines(out)).toEqual([{ id: 1, output: 'card [CREDIT_CARD]', hits: [{ type: 'CREDIT_CARD', start: 5, end: 24, action: 'mask' }] }]);
    expect(stdin.destroyed).toBe(true);
  });
});

describe('cli filter: memory', () => {
  it('keeps nothing of the lines it has answered: the heap after 25 MB of input is what it was after 640 KB', () => {
    // In a process of its own, the GC on the main thread: the heap read after a full GC is what is kept.
    const child = spawnSync(process.execPath, ['--expose-gc', '--single-threaded-gc', '--import', 'tsx', MEMORY_CHILD, '400'], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    const r = JSON.parse(child.stdout) as { code: number; answers: number; records: number; atTenth: number; atLast: number };
    expect(r.code).toBe(0);
    expect(r.answers).toBe(r.records);
    // 390 more chunks of 66 KB read after the first reading: kept, they would be 26 MB.
    const growthMb = (r.atLast - r.atTenth) / 2 ** 20;
    console.info(`filter: heap in use ${(r.atTenth / 2 ** 20).toFixed(1)} MB after 10 chunks, ${(r.atLast / 2 ** 20).toFixed(1)} MB after 400 (growth ${growthMb.toFixed(1)} MB)`);
    expect(growthMb).toBeLessThan(4);
  }, 180_000);
});
