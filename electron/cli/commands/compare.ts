// `compare`: one input or a dialog script sent to two environments at once (staging and production, two
// models), or to one environment under two filter policies or two simulator scenarios, then the structured
// diff of the two answers per turn. stdout: the diff and a verdict line; stderr: progress. Exit 0 when every
// turn's answers are alike (equal, or --similarity alike, ending alike, no leak, the script turn's own
// assertions holding on both sides), 1 when they differ or a side could not run, 2 for bad arguments.
import { writeFileSync, renameSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseDialogScript, ScriptError, type ScriptTurn } from '../../../shared/dialog-script';
import { SCENARIOS } from '../../../shared/scenarios';
import { compareEnvironments, type CompareReport } from '../../core/recording/compare';
import { compareJunitXml } from '../../core/recording/compare-junit';
import { engineCompareSide } from '../../core/recording/engine-replay';
import { formatTurnDiff } from '../../core/recording/format-diff';
import { checkLine } from '../../core/recording/junit';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import { parseNumber, parseOptions, SESSION_OPTIONS } from '../options';
import { parseScenario } from '../scenario-option';
import { sessionOptionsFrom, setupSession, type SessionSetup } from '../session-setup';
import { assertWebchatEnvironment, parseWebchatOption } from '../webchat-report';

const HELP = `Usage: npm run cli -- compare --env A [--env B] (--input TEXT | --script FILE) [options]

Sends each user input to two sides at once and compares their answers turn by turn: the filtered and raw
text (a unified diff), token boundaries, PII hits added or gone, status, errors, usage and timing. The sides
are two environments, or one environment (a single --env) under two policies or two simulator scenarios.

Options:
  --env NAME            side A's environment; a second --env is side B's (default: the same)
  --input TEXT          one user input
  --script FILE         a dialog script, as record reads it ("-" reads stdin); one session per side;
                        a turn's own assertions must hold on both sides
  --similarity R        the answers count as alike from this similarity 0..1 (default 1 = equal)
  --junit FILE          write JUnit XML (one test case per turn)
  --raw                 also print the diff of the raw answers (what the model sent, before the filter:
                        it may hold the very PII the filter masks; off by default, as output ends up in logs)
  --policy FILE         filter policy of both sides; --policy-a / --policy-b for one side
  --scenario NAME       demo: simulator scenario of both sides; --scenario-a / --scenario-b for one side
                        (${SCENARIOS.join(', ')})
  --speed F             demo: simulator pacing (default 1; 0 = as fast as possible)
  --webchat MODE        preview both sides in Webchat (Socket Endpoint environments)
  --idle-timeout S      seconds without any frame before a turn times out (default 30)
  --no-sync             do not write the answers back
  --secret-from-env     keychain fallback: read secrets from COGNIGY_CLIENT_SECRET / COGNIGY_API_KEY

Exit codes: 0 the answers are alike, 1 they differ (or a side failed to run), 2 bad arguments.`;

async function readScript(path: string, io: CliIO): Promise<ScriptTurn[]> {
  let text: string;
  if (path === '-') {
    text = '';
    for await (const c of io.stdin) text += typeof c === 'string' ? c : (c as Buffer).toString('utf8');
  } else {
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read script ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  try {
    return parseDialogScript(text, path === '-' ? 'stdin' : path);
  } catch (err) {
    if (err instanceof ScriptError) throw new UsageError(err.message);
    throw err;
  }
}

export function formatCompareReport(r: CompareReport, o: { raw?: boolean } = {}): string {
  const out: string[] = [`A: ${r.a.label}`, `B: ${r.b.label}`];
  for (const t of r.turns) {
    out.push(formatTurnDiff(t.diff, { raw: Boolean(o.raw) }));
    for (const side of ['a', 'b'] as const) if (t.errors[side]) out.push(`  error on ${side.toUpperCase()}: ${t.errors[side]}`);
    const failed = t.checks.filter((c) => !c.ok);
    out.push(t.ok ? `  → alike (similarity ${t.similarity.toFixed(3)})` : `  → DIFFERENT: ${failed.map((c) => `${c.check}: ${c.got}`).join('; ') || 'a side did not run'}`);
  }
  const differ = r.turns.filter((t) => !t.ok).length;
  const s = r.similarity < 1 ? ` (alike from similarity ${r.similarity})` : '';
  out.push(
    `${r.ok ? 'ALIKE' : 'DIFFERENT'}: ${r.turns.length} turn${r.turns.length === 1 ? '' : 's'}: ${r.turns.length - differ} alike, ${differ} differ${s}${r.notRun ? `, ${r.notRun} not run` : ''} (${(r.timeMs / 1000).toFixed(2)} s)`,
  );
  return out.join('\n');
}

export async function compareCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(
    argv,
    {
      ...SESSION_OPTIONS,
      env: { type: 'string', multiple: true },
      input: { type: 'string' },
      script: { type: 'string' },
      similarity: { type: 'string' },
      junit: { type: 'string' },
      'policy-a': { type: 'string' },
      'policy-b': { type: 'string' },
      'scenario-a': { type: 'string' },
      'scenario-b': { type: 'string' },
      webchat: { type: 'string' },
      raw: { type: 'boolean', default: false },
    },
    false,
  );
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  const envs = values.env ?? [];
  if (envs.length === 0) throw new UsageError('--env NAME is required (try --env demo)');
  if (envs.length > 2) throw new UsageError(`compare takes one or two --env, got ${envs.length}`);
  if ((values.input === undefined) === (values.script === undefined)) throw new UsageError('give exactly one of --input TEXT or --script FILE');
  if (values.input !== undefined && values.input.trim() === '') throw new UsageError('--input must not be empty');
  const similarity = parseNumber(values.similarity, '--similarity', { min: 0, max: 1 });
  const webchat = parseWebchatOption(values.webchat);
  const shared = sessionOptionsFrom({ ...values, env: envs[0] }, io.env);
  const side = (k: 'a' | 'b') => {
    const env = k === 'a' ? envs[0]! : (envs[1] ?? envs[0]!);
    const policyPath = values[`policy-${k}`] ?? values.policy;
    const scenario = parseScenario(values[`scenario-${k}`]) ?? shared.scenario;
    return { env, policyPath, scenario };
  };
  const [a, b] = [side('a'), side('b')];
  if (a.env === b.env && a.policyPath === b.policyPath && a.scenario === b.scenario) {
    throw new UsageError('both sides are the same: give a second --env, or --policy-a/--policy-b, or --scenario-a/--scenario-b');
  }
  const label = (s: typeof a, other: typeof a) =>
    `${s.env}${[s.policyPath !== other.policyPath ? `policy ${s.policyPath ? basename(s.policyPath) : 'default'}` : '', s.scenario !== other.scenario ? `scenario ${s.scenario ?? 'default'}` : '']
      .filter(Boolean)
      .map((x) => ` (${x})`)
      .join('')}`;
  const turns = values.script !== undefined ? await readScript(values.script, io) : [{ input: values.input!, line: 1 }];

  const setups: SessionSetup[] = [];
  try {
    for (const s of [a, b]) {
      const setup = await setupSession({ ...shared, env: s.env, ...(s.policyPath !== undefined ? { policyPath: s.policyPath } : {}), ...(s.scenario ? { scenario: s.scenario } : {}) });
      setups.push(setup);
      assertWebchatEnvironment(webchat, setup.opened.environment);
    }
    const [sa, sb] = setups as [SessionSetup, SessionSetup];
    line(io.stderr, `comparing ${turns.length} turn${turns.length === 1 ? '' : 's'}: A = ${label(a, b)}, B = ${label(b, a)}`);
    const report = await compareEnvironments({
      a: engineCompareSide(label(a, b), sa.engine, a.scenario ? { scenario: a.scenario } : {}),
      b: engineCompareSide(label(b, a), sb.engine, b.scenario ? { scenario: b.scenario } : {}),
      turns,
      ...(similarity !== undefined ? { similarity } : {}),
      ...(webchat ? { webchat } : {}),
      signal: io.signal,
      onProgress: (e) => {
        if (e.type === 'turn.start') line(io.stderr, `[${e.index + 1}/${e.count}] ${JSON.stringify(e.input.length > 70 ? `${e.input.slice(0, 70)}…` : e.input)}`);
        if (e.type === 'turn.end') for (const c of e.result.checks.filter((x) => !x.ok)) line(io.stderr, `  ✗ ${checkLine(c)}`);
      },
    });
    line(io.stdout, formatCompareReport(report, { raw: values.raw }));
    if (values.junit) {
      const tmp = `${values.junit}.tmp-${process.pid}`;
      writeFileSync(tmp, compareJunitXml(report));
      renameSync(tmp, values.junit);
      line(io.stderr, `JUnit XML written to ${values.junit}`);
    }
    return report.ok && !io.signal.aborted ? EXIT.ok : EXIT.error;
  } finally {
    await Promise.all(setups.map((s) => s.close()));
  }
}
