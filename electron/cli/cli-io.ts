// What every CLI command gets: its args, where to write, and the exit codes scripts depend on.
// stdout carries only the product of a command (answer text, JSONL); everything for humans goes to stderr.
import type { Readable, Writable } from 'node:stream';

export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  auth: 3,
  rateLimited: 4,
  timeout: 5,
  partial: 6,
} as const;

export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  isTTY: boolean;
}

export type Command = (argv: string[], io: CliIO) => Promise<number>;

/** Bad arguments: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function line(w: Writable, text: string): void {
  w.write(text.endsWith('\n') ? text : `${text}\n`);
}
