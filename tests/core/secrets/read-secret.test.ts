// Reading a secret from a pipe and from a no-echo prompt. The prompt against a real pseudo-terminal is in
// tests/cli/env.test.ts; here its key handling, fed through a stream that accepts setRawMode.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptHidden, readSecretFromPipe, SecretInputError, trimOneNewline } from '../../../electron/core/secrets/read-secret';

function pipe(...chunks: string[]): PassThrough {
  const p = new PassThrough();
  for (const c of chunks) p.write(c);
  p.end();
  return p;
}

describe('readSecretFromPipe', () => {
  it('trims exactly one trailing newline', async () => {
    expect(await readSecretFromPipe(pipe('abc\n'))).toBe('abc');
    expect(await readSecretFromPipe(pipe('abc\r\n'))).toBe('abc');
    expect(await readSecretFromPipe(pipe('abc\n\n'))).toBe('abc\n');
    expect(await readSecretFromPipe(pipe(' a b ', '\n'))).toBe(' a b ');
    expect(await readSecretFromPipe(pipe('no-newline'))).toBe('no-newline');
    expect(trimOneNewline('x\r')).toBe('x\r');
  });

  it('joins chunks, including a multi-byte character split between them', async () => {
    const bytes = Buffer.from('pä🔑', 'utf8');
    const p = new PassThrough();
    p.write(bytes.subarray(0, 2));
    p.write(bytes.subarray(2, 5));
    p.end(bytes.subarray(5));
    expect(await readSecretFromPipe(p)).toBe('pä🔑');
  });

  it('empty input is an error that says how to pipe a secret', async () => {
    for (const input of ['', '\n', '\r\n']) {
      const err = await readSecretFromPipe(pipe(input), { what: 'client-secret' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecretInputError);
      expect((err as Error).message).toMatch(/no client-secret on stdin/);
    }
  });

  it('refuses oversized input and honours abort', async () => {
    await expect(readSecretFromPipe(pipe('x'.repeat(70_000)))).rejects.toThrow(/longer than/);
    const ac = new AbortController();
    const p = new PassThrough();
    const pending = readSecretFromPipe(p, { signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toThrow(/interrupted/);
  });
});

function fakeTty() {
  const input = Object.assign(new PassThrough(), { isTTY: true, raw: [] as boolean[], setRawMode(m: boolean) { input.raw.push(m); } });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  return { input, output, shown: () => shown };
}

describe('promptHidden', () => {
  it('reads a line without echoing it; raw mode on, then off', async () => {
    const t = fakeTty();
    const p = promptHidden(t.input, t.output, 'secret: ');
    t.input.write('hun');
    t.input.write('ter2\r');
    expect(await p).toBe('hunter2');
    expect(t.shown()).toBe('secret: \n');
    expect(t.input.raw).toEqual([true, false]);
  });

  it('handles backspace, Ctrl-U and arrow-key escape sequences', async () => {
    const t = fakeTty();
    const p = promptHidden(t.input, t.output, '> ');
    t.input.write('abX\u007fc\u001b[D\u001b[Cd\r');
    expect(await p).toBe('abcd');
    const t2 = fakeTty();
    const p2 = promptHidden(t2.input, t2.output, '> ');
    t2.input.write('wrong\u0015right\n');
    expect(await p2).toBe('right');
  });

  it('Ctrl-C cancels; Enter on an empty line is an error; raw mode is always restored', async () => {
    const t = fakeTty();
    const p = promptHidden(t.input, t.output, '> ');
    t.input.write('abc\u0003');
    await expect(p).rejects.toThrow(/cancelled \(Ctrl-C\)/);
    expect(t.input.raw).toEqual([true, false]);
    const t2 = fakeTty();
    const p2 = promptHidden(t2.input, t2.output, '> ');
    t2.input.write('\r');
    await expect(p2).rejects.toThrow(/no secret entered/);
  });

  it('refuses a stream that cannot turn echo off', async () => {
    await expect(promptHidden(new PassThrough(), new PassThrough(), '> ')).rejects.toThrow(/pipe the secret/);
  });
});
