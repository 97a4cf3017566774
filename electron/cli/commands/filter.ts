// `filter`: the streaming safety filter as a JSONL pipe (issue 4 §4; scripts depend on this contract).
// stdin: one `{"id": "...", "chunks": ["...", ...]}` per line; each line's chunks go through the streaming
// filter in order. stdout: one `{"id", "output", "hits": [{type, start, end, action}]}` per input line, in
// input order (positions in the input text, UTF-16 units). A malformed line gets
// `{"line": N, "error": "..."}` in its place on stdout and the same message on stderr; the rest are still
// answered. Never echoes a detected value, nor the content of a malformed line.
// Exit: 0 all lines answered, 1 some line malformed, 2 bad arguments or policy.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { compilePolicy, createFilter, PolicyError, type CompiledPolicy, type Hit } from '../../core/filters';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import { jsonErrorPosition } from '../../core/util/json-error';
import { parseOptions } from '../options';
import { loadPolicy } from '../session-setup';

const HELP = `Usage: npm run cli -- filter [--policy FILE] [--hash-salt TEXT]

Reads JSONL on stdin, one {"id": "...", "chunks": ["...", "..."]} per line, feeds each line's chunks in
order through the streaming safety filter, and writes one line per input, in input order:
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
  const hashSalt = values['hash-salt'] ?? randomBytes(16).toString('hex');

  let malformed = 0;
  let n = 0;
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  const onAbort = () => rl.close();
  io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const text of rl) {
      n++;
      if (!text.trim()) continue;
      const answer = filterLine(compiled, hashSalt, text, n);
      if ('error' in answer) {
        malformed++;
        line(io.stderr, `error: ${answer.error}`);
      }
      await write(io.stdout, `${JSON.stringify(answer)}\n`);
    }
  } finally {
    io.signal.removeEventListener('abort', onAbort);
  }
  if (io.signal.aborted) return EXIT.error;
  return malformed ? EXIT.error : EXIT.ok;
}

async function loadCompiledPolicy(path: string | undefined): Promise<CompiledPolicy> {
  const policy = await loadPolicy(path);
  try {
    return compilePolicy(policy);
  } catch (err) {
    if (err instanceof PolicyError) throw new UsageError(`policy file ${path}: ${err.message}`);
    throw err;
  }
}

type Answer =
  | { id: string | number; output: string; hits: Array<Pick<Hit, 'type' | 'start' | 'end' | 'action'>>; blocked?: { type: string } }
  | { line: number; id?: string | number; error: string };

function filterLine(compiled: CompiledPolicy, hashSalt: string, text: string, n: number): Answer {
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
  const bad = rec.chunks.findIndex((c) => typeof c !== 'string');
  if (bad !== -1) return fail(`chunks[${bad}] must be a string`);

  const f = createFilter(compiled, { hashSalt });
  let output = '';
  const hits: Hit[] = [];
  let blocked: { type: string } | undefined;
  for (const chunk of rec.chunks as string[]) {
    const r = f.feed(chunk);
    output += r.text;
    hits.push(...r.hits);
    if (r.blocked) {
      blocked = r.blocked;
      break;
    }
  }
  if (!blocked) {
    const r = f.end();
    output += r.text;
    hits.push(...r.hits);
    blocked = r.blocked;
  }
  const answer: Answer = { id, output, hits: hits.map((h) => ({ type: h.type, start: h.start, end: h.end, action: h.action })) };
  if (blocked) answer.blocked = blocked;
  return answer;
}

async function write(w: Writable, chunk: string): Promise<void> {
  if (!w.write(chunk)) await once(w, 'drain');
}
