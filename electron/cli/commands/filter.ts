// `filter`: the streaming safety filter as a JSONL pipe (issue 4 §4; scripts depend on this contract).
// stdin: one `{"id": "...", "chunks": ["...", ...]}` per line; each line's chunks, joined in order, go through
// the streaming filter (the answer is the one feeding them one by one gives: the same for every chunking). stdout: one `{"id", "output", "hits": [{type, start, end, action}]}` per input line, in
// input order (positions in the input text, UTF-16 units). A malformed line gets
// `{"line": N, "error": "..."}` in its place on stdout and the same message on stderr; the rest are still
// answered. Never echoes a detected value, nor the content of a malformed line.
// Exit: 0 all lines answered, 1 some line malformed, 2 bad arguments or policy.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
// The filter's modules themselves, not its package entry: that one also exports the validator, and with
// the default policy nothing here needs zod (issue 13).
import { DEFAULT_POLICY, PolicyError } from '../../../shared/policy';
import { compileValidPolicy, type CompiledPolicy } from '../../core/filters/compile';
import { filterText } from '../../core/filters/stream-filter';
import type { FilterOptions, Hit } from '../../core/filters/types';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import { abortable } from '../../core/util/abortable';
import { jsonErrorPosition } from '../../core/util/json-error';
import { parseOptions } from '../options';
import { loadPolicy } from '../policy-option';

const HELP = `Usage: npm run cli -- filter [--policy FILE] [--hash-salt TEXT]

Reads JSONL on stdin, one {"id": "...", "chunks": ["...", "..."]} per line, runs each line's chunks, in
order, through the streaming safety filter (the answer is the same for every chunking of a text), and
writes one line per input, in input order:
  {"id": "...", "output": "<released text>", "hits": [{"type": "CREDIT_CARD", "start": 10, "end": 29, "action": "mask"}]}
Positions are in the input text (UTF-16 code units). A "block" action adds "blocked": {"type": ...} and the
output stops before the blocked value. A malformed line is answered with {"line": N, "error": "..."}
(also on stderr). Blank lines are skipped.

Options:
  --policy FILE      filter policy (JSON); default: mask every type
  --hash-salt TEXT   key of "hash" pseudonyms (default: random per run)

Exit codes: 0 every line answered, 1 a line was malformed, 2 bad arguments or policy.`;

export async function filterCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(argv, {
    policy: { type: 'string' },
    'hash-salt': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  const compiled = await loadCompiledPolicy(values.policy);
  // Without --hash-salt the compiled policy's own key applies: random per run, as documented.
  const hashSalt = values['hash-salt'];

  // One compiled policy for the whole run; answers gathered per chunk of input and written at once (a
  // pipe's 64 KB chunk is many records), yet never held back waiting for more input, so a script that
  // writes one line and waits for its answer gets it.
  const opts: FilterOptions = hashSalt === undefined ? {} : { hashSalt };
  let malformed = 0;
  let n = 0;
  let partial = '';
  const answerLines = (text: string): string => {
    let out = '';
    for (let from = 0; ; ) {
      const nl = text.indexOf('\n', from);
      if (nl === -1) {
        partial = text.slice(from);
        return out;
      }
      out += answerLine(text.charCodeAt(nl - 1) === 13 && nl > from ? text.slice(from, nl - 1) : text.slice(from, nl));
      from = nl + 1;
    }
  };
  const answerLine = (text: string): string => {
    n++;
    if (!text.trim()) return '';
    const answer = filterLine(compiled, opts, text, n);
    if ('error' in answer) {
      malformed++;
      line(io.stderr, `error: ${answer.error}`);
    }
    return `${JSON.stringify(answer)}\n`;
  };

  io.stdin.setEncoding('utf8');
  const input = io.stdin[Symbol.asyncIterator]() as AsyncIterator<string>;
  try {
    for (;;) {
      // Each read waits on the abort by itself (abortable removes its listener when the chunk comes): racing
      // every read against one promise of the abort added a reaction to it per chunk, each keeping that chunk's
      // text until the run ended (the whole input, for a long pipe). No read starts once aborted: one left
      // pending would hold up the iterator's return() below.
      if (io.signal.aborted) break;
      let next: IteratorResult<string>;
      try {
        next = await abortable(input.next(), io.signal, 'reading the input');
      } catch (err) {
        if (io.signal.aborted) break;
        throw err;
      }
      if (next.done) break;
      const out = answerLines(partial + next.value);
      if (out) await write(io.stdout, out);
    }
    if (!io.signal.aborted && partial) {
      const out = answerLine(partial.endsWith('\r') ? partial.slice(0, -1) : partial);
      if (out) await write(io.stdout, out);
    }
  } finally {
    if (io.signal.aborted) await input.return?.();
  }
  if (io.signal.aborted) return EXIT.error;
  return malformed ? EXIT.error : EXIT.ok;
}

async function loadCompiledPolicy(path: string | undefined): Promise<CompiledPolicy> {
  // loadPolicy validated the file (parsePolicy); compiling finds what only it can (non-linear patterns).
  const policy = (await loadPolicy(path)) ?? DEFAULT_POLICY;
  try {
    return compileValidPolicy(policy);
  } catch (err) {
    if (err instanceof PolicyError) throw new UsageError(`policy file ${path}: ${err.message}`);
    throw err;
  }
}

type Answer =
  | { id: string | number; output: string; hits: Array<Pick<Hit, 'type' | 'start' | 'end' | 'action'>>; blocked?: { type: string } }
  | { line: number; id?: string | number; error: string };

function filterLine(cp: CompiledPolicy, opts: FilterOptions, text: string, n: number): Answer {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    return { line: n, error: `line ${n}: not valid JSON${jsonErrorPosition(err)}` };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return { line: n, error: `line ${n}: expected an object {"id": "...", "chunks": [...]}` };
  }
  const rec = obj as Record<string, unknown>;
  const id = typeof rec.id === 'string' || (typeof rec.id === 'number' && Number.isFinite(rec.id)) ? rec.id : undefined;
  const fail = (error: string): Answer => (id === undefined ? { line: n, error: `line ${n}: ${error}` } : { line: n, id, error: `line ${n}: ${error}` });
  if (id === undefined) return fail(rec.id === undefined ? '"id" is missing' : '"id" must be a string or a number');
  if (!Array.isArray(rec.chunks)) return fail(rec.chunks === undefined ? '"chunks" is missing' : '"chunks" must be an array of strings');
  const chunks = rec.chunks as unknown[];
  // A loop, not findIndex with a closure: a token array is thousands of chunks per record (issue 13).
  for (let k = 0; k < chunks.length; k++) if (typeof chunks[k] !== 'string') return fail(`chunks[${k}] must be a string`);

  // The record's chunks go through the filter as one text, its end known: the output and hits are the
  // same for every chunking (the streaming guarantee, property-tested in tests/core/filters), and one
  // pass over the whole text costs far less than one scan per token of a token array, and less than
  // feeding it to a streaming filter and ending that (issue 13: -15% CPU on the bench's records).
  const r = filterText(cp, chunks.length === 1 ? (chunks[0] as string) : chunks.join(''), opts);
  const answer: Answer = { id, output: r.output, hits: r.hits.map((h) => ({ type: h.type, start: h.start, end: h.end, action: h.action })) };
  if (r.blocked) answer.blocked = r.blocked;
  return answer;
}

async function write(w: Writable, chunk: string): Promise<void> {
  if (!w.write(chunk)) await once(w, 'drain');
}
