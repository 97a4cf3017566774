// Reads a cassette and says precisely what is wrong with a bad one: the line number, and the JSON error
// or the zod issue path. A file cut off mid-line (a recording killed while writing) is not an error: the
// complete lines are returned with `truncated: true` and a warning. It never guesses at a corrupt line.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { CASSETTE_FORMAT, CASSETTE_VERSION, CassetteEvent, CassetteHeader, type Cassette } from './cassette-schema';
import { jsonErrorPosition } from '../util/json-error';
import { compileFastCheck } from '../../../shared/zod-fast-check';

/** Accepts the common event lines the way zod would, without zod (the rest, and every bad one, go to zod). */
const fastEvent = compileFastCheck(CassetteEvent);
/** The same check answering with the parsed line itself (no copy) when it holds no key zod would strip. */
const fastEventAsParsed = compileFastCheck(CassetteEvent, { reuse: true });

export interface ReadOptions {
  /**
   * Keep each valid event line as JSON.parse made it (its keys in the file's order) instead of zod's copy
   * in the schema's key order: for readers that only read the events and never write them again (replay:
   * a copy of every event line was ~half the checking cost and its garbage). Same events, same errors.
   */
  asParsed?: boolean;
}

export class CassetteError extends Error {
  override name = 'CassetteError';
  constructor(
    message: string,
    /** 1-based line number, when the problem is on a line. */
    readonly line?: number,
    readonly source?: string,
  ) {
    super(message);
  }
}

export interface CassetteReadResult extends Cassette {
  /** The file ended mid-line; everything before that line was read. */
  truncated: boolean;
  warnings: string[];
  /** Complete lines read, header included. */
  lines: number;
  source?: string;
}

function describeIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  const more = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more issue${err.issues.length > 2 ? 's' : ''})` : '';
  return `${path}: ${issue.message}${more}`;
}

function where(source: string | undefined, line: number): string {
  return source ? `${source}: line ${line}` : `line ${line}`;
}

export function parseCassette(text: string, source?: string, opts: ReadOptions = {}): CassetteReadResult {
  const check = opts.asParsed ? fastEventAsParsed : fastEvent;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const endsWithNewline = text.endsWith('\n');
  const rawLines = text.split('\n');
  if (endsWithNewline) rawLines.pop();
  const warnings: string[] = [];
  let header: CassetteHeader | undefined;
  const events: CassetteEvent[] = [];
  let truncated = false;
  let complete = 0;

  for (let i = 0; i < rawLines.length; i++) {
    const lineNo = i + 1;
    const isLast = i === rawLines.length - 1;
    let line = rawLines[i] ?? '';
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    // A line that starts with '{' is not blank; only others need the (allocating) trim.
    if (line.charCodeAt(0) !== 0x7b && line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      if (isLast && !endsWithNewline) {
        if (!header) throw new CassetteError(`${where(source, lineNo)}: truncated header (file ends mid-line): not a complete cassette`, lineNo, source);
        truncated = true;
        warnings.push(
          `${where(source, lineNo)}: truncated JSON (file ends mid-line) — the cassette was probably cut off while recording; ${complete} complete line${complete === 1 ? '' : 's'} read`,
        );
        break;
      }
      throw new CassetteError(`${where(source, lineNo)}: invalid JSON${jsonErrorPosition(err)}`, lineNo, source);
    }
    if (!header) {
      header = parseHeader(json, source, lineNo);
      complete++;
      continue;
    }
    const fast = check(json);
    if (fast) {
      events.push(fast);
      complete++;
      continue;
    }
    const parsed = CassetteEvent.safeParse(json);
    if (!parsed.success) {
      const type = typeof json === 'object' && json !== null && 'type' in json ? `"${String((json).type)}" event` : 'event';
      throw new CassetteError(`${where(source, lineNo)}: invalid ${type}: ${describeIssue(parsed.error)}`, lineNo, source);
    }
    events.push(parsed.data);
    complete++;
  }
  if (!header) throw new CassetteError(`${source ? `${source}: ` : ''}empty file: expected a cassette header on line 1`, 1, source);

  const started = new Set<string>();
  const ended = new Set<string>();
  for (const ev of events) {
    if (ev.type === 'turn.start') started.add(ev.turnId);
    else if (ev.type === 'turn.end') ended.add(ev.turnId);
  }
  for (const id of started) if (!ended.has(id)) warnings.push(`${source ? `${source}: ` : ''}turn ${id} has no turn.end (the recording stopped during that turn)`);

  return { header, events, truncated, warnings, lines: complete, source };
}

function parseHeader(json: unknown, source: string | undefined, lineNo: number): CassetteHeader {
  const obj = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (obj.format !== CASSETTE_FORMAT) {
    const got = obj.format === undefined ? 'no "format" field' : `format ${JSON.stringify(obj.format)}`;
    throw new CassetteError(`${where(source, lineNo)}: not a cassette header (${got}; expected "${CASSETTE_FORMAT}")`, lineNo, source);
  }
  if (typeof obj.version === 'number' && obj.version > CASSETTE_VERSION) {
    throw new CassetteError(
      `${where(source, lineNo)}: cassette version ${obj.version} is newer than this tool reads (${CASSETTE_VERSION}); update the tool`,
      lineNo,
      source,
    );
  }
  const parsed = CassetteHeader.safeParse(json);
  if (!parsed.success) throw new CassetteError(`${where(source, lineNo)}: invalid cassette header: ${describeIssue(parsed.error)}`, lineNo, source);
  return parsed.data;
}

export function readCassette(path: string, opts: ReadOptions = {}): CassetteReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CassetteError(e.code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read: ${e.message}`, undefined, path);
  }
  return parseCassette(text, path, opts);
}
