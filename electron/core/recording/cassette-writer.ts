// Writes a cassette incrementally and crash-safely: every event becomes one complete line written with
// one write call on an O_APPEND descriptor, and the file is fsynced at each turn end, so a `kill -9`
// leaves a valid cassette up to the last complete line. It must never write a secret or a line the
// reader would reject.
import { closeSync, constants, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { describeFsError } from '../util/atomic-file';
import type { SessionEvent } from '../../../shared/events';
import { APP_VERSION } from '../version';
import { CASSETTE_FORMAT, CASSETTE_VERSION, CassetteEvent, CassetteHeader } from './cassette-schema';
import { createSecretGuard, redactEvent } from './redact';

export type CassetteHeaderInput = Omit<CassetteHeader, 'format' | 'version' | 'createdAt' | 'toolVersion' | 'redacted'> & {
  createdAt?: string;
};

export interface CassetteWriterOptions {
  path: string;
  header: CassetteHeaderInput;
  /** Shareable cassette: only filtered text (see redact.ts). */
  redact?: boolean;
  /** With `redact`: how the user's input is filtered (e.g. the environment's policy). */
  filterInput?: (input: string) => string;
  /** Known secret values (client secret, API key, URL token, access tokens) that must never be written. */
  secrets?: Iterable<string | undefined>;
  /** Replace an existing file (default: refuse, so a recording is never overwritten by accident). */
  overwrite?: boolean;
  /** Something was left out (an event that does not validate, a secret that was scrubbed). */
  onWarning?: (message: string) => void;
}

export interface CassetteWriter {
  readonly path: string;
  readonly header: CassetteHeader;
  /** Appends one event (redacted first when the cassette is redacted). */
  append(ev: SessionEvent): void;
  /** fsync now (done automatically at every turn.end). */
  flush(): void;
  close(): void;
  readonly linesWritten: number;
  readonly turnsEnded: number;
}

export function createCassetteWriter(opts: CassetteWriterOptions): CassetteWriter {
  const redacted = Boolean(opts.redact);
  const header = CassetteHeader.parse({
    ...opts.header,
    format: CASSETTE_FORMAT,
    version: CASSETTE_VERSION,
    createdAt: opts.header.createdAt ?? new Date().toISOString(),
    toolVersion: APP_VERSION,
    redacted,
  });
  const guard = createSecretGuard(opts.secrets ?? []);
  const warn = opts.onWarning ?? (() => {});
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | (opts.overwrite ? constants.O_TRUNC : constants.O_EXCL);
  let fd: number | null;
  try {
    fd = openSync(opts.path, flags, 0o600);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EEXIST') throw new Error(`${opts.path} already exists (refusing to overwrite a recording; choose another file or remove it)`);
    throw new Error(`cannot create cassette ${opts.path}: ${e.message}`);
  }
  let lines = 0;
  let turnsEnded = 0;

  const writeLine = (obj: unknown) => {
    if (fd === null) throw new Error(`cassette ${opts.path} is closed`);
    const { line, removed } = guard.scrub(JSON.stringify(obj));
    if (removed) warn(`removed ${removed} occurrence(s) of a secret from line ${lines + 1} of ${opts.path}`);
    const buf = Buffer.from(`${line}\n`, 'utf8');
    // One write for the whole line; the loop only matters if the kernel ever takes it in parts.
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    lines++;
  };

  try {
    writeLine(header);
    fsyncSync(fd);
  } catch (err) {
    // A cassette without its header is no cassette (a full disk would leave a 0-byte file): remove it.
    closeSync(fd);
    fd = null;
    try {
      unlinkSync(opts.path);
    } catch {
      // Already gone or never there: nothing to clean.
    }
    throw new Error(`cannot write cassette ${opts.path}: ${describeFsError(err)}`);
  }
  /** Set once a write failed (disk full): the cassette keeps its complete lines, nothing more is appended. */
  let failed = false;

  return {
    path: opts.path,
    header,
    get linesWritten() {
      return lines;
    },
    get turnsEnded() {
      return turnsEnded;
    },
    append(ev) {
      const out = redacted ? redactEvent(ev, { filterInput: opts.filterInput }) : ev;
      if (!out) return;
      const checked = CassetteEvent.safeParse(out);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        warn(`event "${ev.type}" left out of the cassette: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
        return;
      }
      if (failed) return;
      try {
        writeLine(out);
        if (ev.type === 'turn.end') {
          turnsEnded++;
          if (fd !== null) fsyncSync(fd);
        }
      } catch (err) {
        failed = true;
        warn(`cannot write cassette ${opts.path}: ${describeFsError(err)}; it keeps the ${lines} complete line(s) written before, nothing more is recorded`);
      }
    },
    flush() {
      if (fd !== null) fsyncSync(fd);
    },
    close() {
      if (fd === null) return;
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
    },
  };
}
