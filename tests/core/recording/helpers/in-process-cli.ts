// Runs the CLI's main() in this process with in-memory streams: the same code path as the built CLI,
// without a child process (used where a real process does not matter).
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../../../electron/cli/index';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], o: { env?: NodeJS.ProcessEnv; stdin?: string; signal?: AbortSignal; isTTY?: boolean; onStdout?: (chunk: string) => void; onStderr?: (chunk: string) => void } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8');
  stderr.setEncoding('utf8');
  stdout.on('data', (d: string) => {
    out += d;
    o.onStdout?.(d);
  });
  stderr.on('data', (d: string) => {
    err += d;
    o.onStderr?.(d);
  });
  const code = await main(argv, {
    stdin: Readable.from([o.stdin ?? '']),
    stdout,
    stderr,
    env: o.env ?? process.env,
    signal: o.signal ?? new AbortController().signal,
    isTTY: o.isTTY ?? false,
  });
  return { code, stdout: out, stderr: err };
}
