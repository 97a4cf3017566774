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

/**
 * A server that could not bind 127.0.0.1:PORT, as the one message every listening command (ui, relay,
 * simulate) prints; undefined for any other failure.
 */
export function listenFailure(err: unknown, port: number): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (code === 'EADDRINUSE') return `port ${port} on 127.0.0.1 is already in use: pick another with --port, or --port 0 for a free one`;
  if (code === 'EACCES') return `no permission to listen on 127.0.0.1:${port}: pick a port above 1023, or --port 0 for a free one`;
  return undefined;
}

export function line(w: Writable, text: string): void {
  w.write(text.endsWith('\n') ? text : `${text}\n`);
}
