// `record`: runs a multi-turn dialog from a script and writes it as a cassette, event by event, so a
// recording cut short (Ctrl-C, kill -9) keeps every complete line. stdout stays empty; progress goes to
// stderr. Exit codes as `stream`: the first turn that did not complete decides.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { SCENARIOS } from '../../../shared/scenarios';
import { compilePolicy } from '../../core/filters';
import { parseDialogScript, ScriptError } from '../../../shared/dialog-script';
import { sidecarFromScript, sidecarPathFor, writeSidecar } from '../../core/recording/assertions';
import { checkLine } from '../../core/recording/junit';
import { recordDialog } from '../../core/recording/record-dialog';
import { startSessionRecorder } from '../../core/recording/session-recorder';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import { sessionOptionsFrom, setupSession } from '../session-setup';
import { formatSummary } from '../turn-report';
import { exitCodeOf } from './stream';
import { parseOptions, SESSION_OPTIONS } from '../options';
import { assertWebchatEnvironment, parseWebchatOption } from '../webchat-report';

const HELP = `Usage: npm run cli -- record --env NAME --script FILE --out FILE [options]

Records a multi-turn dialog as a cassette (JSONL: a header line, then every event of every turn with
its time offset). The script has one user input per line, or JSON lines
{"input": "...", "scenario": "pii", "assert": [{"kind": "ttft", "max": 2000}]}; blank lines and lines
starting with # are skipped. Turn assertions are checked on the recording (failures on stderr) and written
to the cassette's sidecar (<out without .jsonl>.assert.json), which every replay checks. Events are written
as they happen: a recording that is interrupted keeps every complete line.

Options:
  --env NAME            environment (\`demo\` runs the built-in simulator, no setup)
  --script FILE         the dialog script ("-" reads it from stdin)
  --out FILE            the cassette to write (refuses to overwrite unless --force)
  --redact              shareable cassette: only filtered text (no raw tokens, no raw.text events,
                        inputs filtered by the policy); token timing and sizes are kept
  --scenario NAME       simulator scenario for turns that name none (${SCENARIOS.join(', ')})
  --speed F             demo only: simulator pacing (1 realistic, 0 as fast as possible)
  --policy FILE         filter policy (JSON); default: the environment's, else mask every type
  --idle-timeout S      seconds without any frame before a turn times out (default 30)
  --no-sync             do not write the answers back into the dialog
  --webchat MODE        preview every turn in Webchat (classic, modern, slick, endpoint): the cassette
                        keeps its bubbles and warnings, the baseline replay compares with
  --force               overwrite --out if it exists
  --secret-from-env     keychain fallback: read secrets from COGNIGY_CLIENT_SECRET / COGNIGY_API_KEY

Exit codes: 0 every turn complete, 1 other error, 2 bad arguments, 3 authentication failed,
4 rate-limited after retries, 5 timeout, 6 a turn was incomplete (partial).`;

async function readText(path: string, io: CliIO): Promise<string> {
  if (path === '-') {
    let s = '';
    for await (const c of io.stdin) s += typeof c === 'string' ? c : (c as Buffer).toString('utf8');
    return s;
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read script ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function recordCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(
    argv,
    {
      ...SESSION_OPTIONS,
      script: { type: 'string' },
      out: { type: 'string' },
      redact: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      webchat: { type: 'string' },
    },
    false,
  );
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  const session = sessionOptionsFrom(values, io.env);
  if (!values.script) throw new UsageError('--script FILE is required');
  if (!values.out) throw new UsageError('--out FILE is required');
  const webchat = parseWebchatOption(values.webchat);
  const { scenario, speed } = session;
  let turns;
  try {
    turns = parseDialogScript(await readText(values.script, io), values.script === '-' ? 'stdin' : values.script);
  } catch (err) {
    if (err instanceof ScriptError) throw new UsageError(err.message);
    throw err;
  }
  // The script's assertions go into the cassette's sidecar, where every replay finds them.
  const sidecar = sidecarFromScript(turns);
  const sidecarTarget = sidecar ? sidecarPathFor(values.out) : undefined;
  if (sidecarTarget && !values.force && existsSync(sidecarTarget)) throw new UsageError(`${sidecarTarget} already exists (refusing to overwrite its assertions; --force replaces it)`);

  const setup = await setupSession(session);
  try {
    const env = setup.environment;
    assertWebchatEnvironment(webchat, env);
    const recorder = await startSessionRecorder({
      engine: setup.engine,
      path: values.out,
      environment: env,
      secrets: setup.secrets,
      redact: values.redact,
      ...(values.redact ? { policy: compilePolicy(setup.policy) } : {}),
      ...(setup.builtIn ? { scenario: scenario ?? 'happy', ...(speed !== undefined ? { speed } : {}) } : scenario ? { scenario } : {}),
      overwrite: values.force,
      note: `recorded from ${values.script === '-' ? 'stdin' : basename(values.script)}`,
      onWarning: (w) => line(io.stderr, `warning: ${w}`),
    });
    const writer = recorder.writer;
    line(io.stderr, `recording ${turns.length} turn${turns.length === 1 ? '' : 's'} on ${env.name} (${env.kind}) → ${values.out}${values.redact ? ' (redacted)' : ''}`);
    let exit: number = EXIT.ok;
    let result;
    try {
      result = await recordDialog({
        engine: setup.engine,
        turns,
        ...(scenario ? { scenario } : {}),
        ...(webchat ? { webchat } : {}),
        signal: io.signal,
        onTurnStart: (i, t) => line(io.stderr, `[${i + 1}/${turns.length}] ${JSON.stringify(t.input.length > 70 ? `${t.input.slice(0, 70)}…` : t.input)}${t.scenario ? ` (scenario ${t.scenario})` : ''}`),
        onTurnEnd: (_i, s, recorded) => {
          line(io.stderr, formatSummary(s));
          for (const c of recorded.checks.filter((x) => !x.ok)) line(io.stderr, `✗ ${c.at ? `${c.at} ` : ''}${checkLine(c)}`);
          const code = exitCodeOf(s.status, s.cause);
          if (exit === EXIT.ok && code !== EXIT.ok) exit = code;
        },
      });
    } finally {
      recorder.stop();
    }
    if (result.notRun > 0) {
      line(io.stderr, `${result.notRun} turn${result.notRun === 1 ? '' : 's'} of the script did not run${io.signal.aborted ? ' (interrupted)' : ''}`);
      if (exit === EXIT.ok) exit = EXIT.error;
    }
    line(io.stderr, `wrote ${writer.linesWritten} lines (${writer.turnsEnded} turn${writer.turnsEnded === 1 ? '' : 's'}) to ${values.out}`);
    // Only the turns that were recorded (a cancelled recording keeps a sidecar that fits its cassette).
    const entries = sidecar?.turns?.slice(0, result.summaries.length) ?? [];
    if (sidecar && entries.some((e) => e.assert?.length)) {
      const path = await writeSidecar(values.out, { turns: entries }, { overwrite: values.force });
      line(io.stderr, `assertions of ${entries.filter((e) => e.assert?.length).length} turn(s) written to ${path}`);
    }
    return exit;
  } finally {
    await setup.close();
  }
}
