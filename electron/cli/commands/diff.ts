// `diff`: compares two recordings turn by turn (raw and filtered text, token boundaries, filter hits,
// status, usage, timing). stdout: the readable diff. Exit 0 when the turns are the same, 1 when they
// differ (timing alone never counts as a difference), 2 for bad arguments or an unreadable cassette.
import { diffCassettes } from '../../core/recording/cassette-diff';
import { CassetteError, readCassette } from '../../core/recording/cassette-reader';
import { formatCassetteDiff } from '../../core/recording/format-diff';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import { HELP_OPTION, parseOptions } from '../options';

const HELP = `Usage: npm run cli -- diff A.jsonl B.jsonl [--json]

Compares two recordings turn by turn: unified diffs of the raw and filtered answers, token-boundary
changes, filter hits added or gone, status and error changes, usage and timing deltas.

Options:
  --json      print the structured diff as JSON (what the app renders) instead of text

Exit codes: 0 same, 1 different, 2 bad arguments or unreadable cassette.`;

export async function diffCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, { json: { type: 'boolean', default: false }, ...HELP_OPTION }, true);
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 2) throw new UsageError(`diff needs exactly two cassettes, got ${positionals.length}`);
  const [pa, pb] = positionals as [string, string];
  let a;
  let b;
  try {
    a = readCassette(pa);
    b = readCassette(pb);
  } catch (err) {
    if (err instanceof CassetteError) throw new UsageError(err.message);
    throw err;
  }
  for (const w of [...a.warnings, ...b.warnings]) line(io.stderr, `warning: ${w}`);
  const d = diffCassettes(a, b, { a: pa, b: pb });
  line(io.stdout, values.json ? JSON.stringify(d, null, 2) : formatCassetteDiff(d, { a: pa, b: pb }));
  return d.same ? EXIT.ok : EXIT.error;
}
