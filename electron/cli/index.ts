// Entry point of the headless CLI: the same core the desktop app runs, for QA and CI.
import { EXIT, UsageError, line, type CliIO, type Command } from './cli-io';
import { commands, usage } from './commands';

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    line(name ? io.stdout : io.stderr, usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    const { APP_VERSION } = await import('../core/version');
    line(io.stdout, APP_VERSION);
    return EXIT.ok;
  }
  const command: Command | undefined = commands[name];
  if (!command) {
    line(io.stderr, `error: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    // An environment name that does not exist is a bad argument (exit 2), as documented.
    // (By name: importing the class would load the session layer for every command.)
    if (err instanceof UsageError || (err as Error)?.name === 'UnknownEnvironmentError') {
      line(io.stderr, `error: ${(err as Error).message}\nRun "npm run cli -- ${name} --help" for usage.`);
      return EXIT.usage;
    }
    const e = err as Error;
    line(io.stderr, `error: ${e.message ?? String(err)}`);
    if (io.env.DEBUG_STREAM_DEBUGGER) line(io.stderr, e.stack ?? '');
    return EXIT.error;
  }
}

/** How long a command may take to wind down after SIGINT/SIGTERM before the process leaves anyway. */
export const SIGNAL_GRACE_MS = 500;

/** Runs the CLI as this process: signals abort the command; the exit code becomes the process's. */
export function runFromProcess(argv: string[]): void {
  const ac = new AbortController();
  let interrupted = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    ac.abort(new Error(`interrupted by ${sig}`));
    // The command winds down (turn cancelled, recording closed, outbox released); should anything hang,
    // the process still ends within a second. Cassettes and the outbox are written synchronously or
    // atomically, so leaving now keeps everything already recorded.
    setTimeout(() => {
      process.stderr.write(`stopped by ${sig}: the command did not wind down within ${SIGNAL_GRACE_MS} ms; what was recorded is kept\n`);
      process.exit(130);
    }, SIGNAL_GRACE_MS);
  };
  // A reader that stops reading (\`stream --json | head -1\`) is a normal end, not a crash: stop writing
  // to stdout and let the command finish (and store its write-back).
  let stdoutClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (!stdoutClosed && err.code !== 'EPIPE') process.stderr.write(`stdout: ${err.code ?? err.message}; no more output is written there\n`);
    stdoutClosed = true;
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIO = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: ac.signal,
    isTTY: Boolean(process.stderr.isTTY),
  };
  main(argv, io).then(
    (code) => {
      process.exitCode = code;
      if (stdoutClosed) process.exit(code);
      // Let stdout drain, then leave even if a stray handle (a socket in TIME_WAIT) lingers.
      process.stdout.write('', () => setTimeout(() => process.exit(code), 10).unref());
    },
    (err) => {
      process.stderr.write(`fatal: ${(err as Error).message}\n`);
      process.exit(EXIT.error);
    },
  );
}

const entryArg = typeof process !== 'undefined' ? process.argv[1] : undefined;
if (entryArg && /cli[\\/]index\.js$/.test(entryArg)) runFromProcess(process.argv.slice(2));
