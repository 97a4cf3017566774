// Reads a secret the only two ways the product accepts one from a user: piped on stdin, or typed at a
// prompt on a terminal with echo off. Never from argv (visible in `ps`, saved in shell history).
// Must never echo, log or put the value into an error message.
import type { Readable, Writable } from 'node:stream';

export class SecretInputError extends Error {
  override name = 'SecretInputError';
}

/** Removes exactly one trailing line break (`\n` or `\r\n`): `echo secret |` adds one, nothing else is ours to strip. */
export function trimOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

const MAX_BYTES = 64 * 1024;

/** Reads all of a (piped) stream, then trims one trailing newline. Empty → SecretInputError. */
export async function readSecretFromPipe(input: Readable, opts: { signal?: AbortSignal; what?: string } = {}): Promise<string> {
  const what = opts.what ?? 'secret';
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      size += b.length;
      if (size > MAX_BYTES) {
        cleanup();
        input.pause();
        reject(new SecretInputError(`the ${what} on stdin is longer than ${MAX_BYTES} bytes: pipe only the ${what}`));
        return;
      }
      chunks.push(b);
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new SecretInputError(`could not read the ${what} from stdin (${err.message})`));
    };
    const onAbort = () => {
      cleanup();
      input.pause();
      reject(new SecretInputError(`reading the ${what} from stdin was interrupted`));
    };
    if (opts.signal?.aborted) return onAbort();
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    input.resume();
  });
  const raw = Buffer.concat(chunks);
  const text = trimOneNewline(raw.toString('utf8'));
  // Wipe what we can; strings are immutable, but the buffers need not linger.
  for (const c of chunks) c.fill(0);
  raw.fill(0);
  if (!text) throw new SecretInputError(`no ${what} on stdin: pipe it in, e.g. \`printf %s "$SECRET" | npm run cli -- env set-secret NAME client-secret\``);
  return text;
}

export interface RawTty extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/**
 * Prompts on a terminal with echo off: characters typed are not shown (not even as `*`), Backspace works,
 * Enter finishes, Ctrl-C or Ctrl-D on an empty line cancels. Escape sequences (arrow keys) are ignored.
 */
export async function promptHidden(input: RawTty, output: Writable, prompt: string, opts: { signal?: AbortSignal; what?: string } = {}): Promise<string> {
  const what = opts.what ?? 'secret';
  if (typeof input.setRawMode !== 'function') throw new SecretInputError('stdin is not a terminal that can turn echo off: pipe the secret on stdin instead');
  // Echo off first, then the prompt: whatever is typed once the prompt shows can never be echoed.
  input.setRawMode(true);
  output.write(prompt);
  let value = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      let inEscape = false;
      const finish = (err?: Error) => {
        input.off('data', onData);
        opts.signal?.removeEventListener('abort', onAbort);
        input.pause();
        output.write('\n');
        if (err) reject(err);
        else resolve(value);
      };
      const onAbort = () => finish(new SecretInputError(`entering the ${what} was interrupted`));
      const onData = (chunk: Buffer | string) => {
        const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
        for (const ch of text) {
          if (inEscape) {
            // CSI sequences end with a letter or `~`; a lone ESC followed by anything else ends here too.
            if (/[A-Za-z~]/.test(ch)) inEscape = false;
            continue;
          }
          if (ch === '\u001b') inEscape = true;
          else if (ch === '\r' || ch === '\n') {
            if (!value) return finish(new SecretInputError(`no ${what} entered`));
            return finish();
          } else if (ch === '\u0003') return finish(new SecretInputError(`entering the ${what} was cancelled (Ctrl-C)`));
          else if (ch === '\u0004') {
            if (!value) return finish(new SecretInputError(`entering the ${what} was cancelled (Ctrl-D)`));
            return finish();
          } else if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
          else if (ch === '\u0015') value = ''; // Ctrl-U: clear the line
          else if (ch >= ' ') value += ch;
        }
      };
      if (opts.signal?.aborted) return onAbort();
      input.on('data', onData);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      input.resume();
    });
  } finally {
    input.setRawMode(false);
  }
}
