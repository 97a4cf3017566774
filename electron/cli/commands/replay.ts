// `replay`: cassettes as regression tests. Re-sends every recorded input to an environment and compares
// the new run with the recording (plus `<cassette>.assert.json` assertions). stdout: the failure report and
// a summary; stderr: progress (a bar on a TTY, plain lines otherwise). Exit 0 all pass, 1 any failure.
import { existsSync, readdirSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SCENARIOS } from '../../../shared/scenarios';
import { replayOnEngine } from '../../core/recording/engine-replay';
import { createRunHistory, isRun, runEntryOf } from '../../core/recording/run-history';
import { failureDetails, junitXml, turnName } from '../../core/recording/junit';
import type { CassetteReplayResult, ReplayReport } from '../../core/recording/replay-runner';
import { parseShard, selectShard, type Shard } from '../../core/recording/shard';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import { sessionOptionsFrom, setupSession } from '../session-setup';
import { parseNumber, parseOptions, SESSION_OPTIONS } from '../options';
import { parseWebchatOption } from '../webchat-report';

const HELP = `Usage: npm run cli -- replay FILE|DIR... --env NAME [options]

Replays recorded dialogs as regression tests: every recorded user input is sent again (one session per
cassette) and the new run is compared with the recording. Directories are searched for *.jsonl.

Default checks per turn: the filtered answer equals the recording (or is --similarity alike), no leak
event, the turn completed (or ended as recorded), the sync succeeded, total tokens within
--usage-tolerance, time to first token at most --ttft-tolerance-ms slower than recorded.
Extra checks per cassette in <cassette>.assert.json ("all" for every turn, "turns" one entry per turn
in dialog order; the kinds and their fields are in the README, "Assertions"):
  {"all": [{"kind": "notContains", "text": "ERROR"}, {"kind": "ttft", "max": 2000}],
   "turns": [{}, {"assert": [{"kind": "structured", "present": true, "summary": "quick replies"}]}]}

Options:
  --env NAME                environment (\`demo\` runs the built-in simulator, no setup)
  --scenario NAME           demo: replay every turn on this scenario instead of the recorded one
                            (${SCENARIOS.join(', ')})
  --speed F                 demo: simulator pacing (default 1; 0 = as fast as possible)
  --junit FILE              write JUnit XML (one testsuite per cassette, one testcase per turn)
  --shard I/N               run only shard I of N (deterministic by path; for CI job matrices)
  --similarity R            minimum answer similarity 0..1 (default 1 = equal)
  --ttft-tolerance-ms N     allowed TTFT increase over the recording (default 2000)
  --usage-tolerance R       allowed relative change of total tokens (default 0.1)
  --policy FILE             filter policy (JSON); default: the environment's, else mask every type
  --idle-timeout S          seconds without any frame before a turn times out (default 30)
  --no-sync                 do not write answers back (the sync check is then skipped)
  --webchat MODE            preview every turn in Webchat (classic, modern, slick, endpoint; default: the
                            mode the recording was previewed with); a turn fails on a Webchat warning
                            its recording did not have
  --no-history              do not add this run to the recordings' run history (kept in the data dir,
                            the same history the app shows; names, times and counts only)
  --accept-damaged          accept recorded answers with sequence gaps or undecodable bytes as
                            baselines (refused by default: a replay with the same hole would pass)
  --secret-from-env         keychain fallback: read secrets from COGNIGY_CLIENT_SECRET / COGNIGY_API_KEY

Exit codes: 0 every turn passed, 1 a turn failed or could not run, 2 bad arguments.`;

/** Files as given; directories searched recursively for *.jsonl. */
export function collectCassettes(args: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p);
      else if (e.isFile() && /\.jsonl$/i.test(e.name)) out.push(p);
    }
  };
  for (const a of args) {
    if (!existsSync(a)) throw new UsageError(`no such file or directory: ${a}`);
    if (statSync(a).isDirectory()) walk(a);
    else out.push(a);
  }
  return out;
}

function createProgress(io: CliIO, count: number) {
  let done = 0;
  let turns = 0;
  let failed = 0;
  const tty = io.isTTY;
  const bar = (current: string) => {
    const width = 24;
    const filled = count ? Math.round((done / count) * width) : width;
    const name = current.length > 40 ? `…${current.slice(-39)}` : current;
    io.stderr.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${count} cassettes · ${turns} turns · ${failed} failed${name ? ` · ${name}` : ''}`);
  };
  return {
    cassetteStart(path: string) {
      if (tty) bar(path);
    },
    turn(ok: boolean, path: string) {
      turns++;
      if (!ok) failed++;
      if (tty) bar(path);
    },
    cassette(r: CassetteReplayResult) {
      done++;
      if (tty) bar('');
      else {
        const bad = r.turns.filter((t) => !t.ok).length;
        const verdict = r.ok ? 'PASS' : 'FAIL';
        const what = r.error && r.turns.length === 0 ? r.error : `${r.turns.length} turn${r.turns.length === 1 ? '' : 's'}${bad ? `, ${bad} failed` : ''}`;
        line(io.stderr, `${verdict} ${r.path} (${what}, ${(r.timeMs / 1000).toFixed(2)} s)`);
      }
    },
    end() {
      if (tty) io.stderr.write('\n');
    },
  };
}

export function formatReport(report: ReplayReport): string {
  const out: string[] = [];
  for (const c of report.cassettes) {
    for (const w of c.warnings) out.push(`warning: ${w}`);
    if (c.error && c.turns.length === 0) {
      out.push(`ERROR ${c.path}: ${c.error}`, '');
      continue;
    }
    for (const t of c.turns.filter((x) => !x.ok)) {
      out.push(`FAIL ${c.path} ${turnName(t)}`);
      out.push(
        failureDetails(t)
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n'),
      );
      out.push('');
    }
  }
  const t = report.totals;
  out.push(
    `${report.ok ? 'PASS' : 'FAIL'}: ${t.cassettes} cassette${t.cassettes === 1 ? '' : 's'}, ${t.turns} turn${t.turns === 1 ? '' : 's'}: ${t.passed} passed, ${t.failed} failed, ${t.errors} error${t.errors === 1 ? '' : 's'} (${(report.timeMs / 1000).toFixed(2)} s)`,
  );
  return out.join('\n');
}

export async function replayCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    {
      ...SESSION_OPTIONS,
      junit: { type: 'string' },
      shard: { type: 'string' },
      similarity: { type: 'string' },
      'ttft-tolerance-ms': { type: 'string' },
      'usage-tolerance': { type: 'string' },
      'accept-damaged': { type: 'boolean', default: false },
      'no-history': { type: 'boolean', default: false },
      webchat: { type: 'string' },
    },
    true,
  );
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  const session = sessionOptionsFrom(values, io.env);
  const { scenario } = session;
  if (positionals.length === 0) throw new UsageError('name at least one cassette file or directory');
  const similarity = parseNumber(values.similarity, '--similarity', { min: 0, max: 1 });
  const ttftToleranceMs = parseNumber(values['ttft-tolerance-ms'], '--ttft-tolerance-ms', { min: 0 });
  const usageTolerance = parseNumber(values['usage-tolerance'], '--usage-tolerance', { min: 0 });
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    try {
      shard = parseShard(values.shard);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const webchat = parseWebchatOption(values.webchat);
  const all = collectCassettes(positionals);
  if (all.length === 0) throw new UsageError(`no *.jsonl cassettes in ${positionals.join(', ')}`);
  // The shard key is the path relative to the working directory (run CI from the repository root), so
  // a cassette lands on the same shard on every machine whatever the checkout location.
  const paths = selectShard(all, shard, (p) => relative(process.cwd(), p) || p);
  if (shard) line(io.stderr, `shard ${shard.index}/${shard.count}: ${paths.length} of ${all.length} cassette${all.length === 1 ? '' : 's'}`);

  let report: ReplayReport;
  if (paths.length === 0) {
    report = { ok: true, cassettes: [], totals: { cassettes: 0, turns: 0, passed: 0, failed: 0, errors: 0 }, timeMs: 0 };
  } else {
    const setup = await setupSession(session);
    try {
      const progress = createProgress(io, paths.length);
      // Every cassette is a dialog of its own on the one session setupSession opened (its policy, settings
      // and sync), exactly as the app replays.
      const history = values['no-history'] ? undefined : createRunHistory(setup.dataDir, { onIssue: (m) => line(io.stderr, `warning: ${m}`) });
      const kept: Array<Promise<void>> = [];
      report = await replayOnEngine(paths, setup.engine, {
        scenario,
        ...(webchat ? { webchat } : {}),
        signal: io.signal,
        keepEvents: false,
        acceptDamaged: values['accept-damaged'],
        compare: {
          checkSync: !values['no-sync'],
          ...(similarity !== undefined ? { similarity } : {}),
          ...(ttftToleranceMs !== undefined ? { ttftToleranceMs } : {}),
          ...(usageTolerance !== undefined ? { usageTolerance } : {}),
        },
        onCassetteStart: ({ path }) => progress.cassetteStart(path),
        onTurn: ({ path, turn }) => progress.turn(turn.ok, path),
        onCassette: (r) => {
          progress.cassette(r);
          if (history && isRun(r, io.signal.aborted)) {
            const entry = runEntryOf(r, { environment: setup.environment.name, source: 'cli', ...(scenario ? { scenario } : {}) });
            kept.push(history.append(r.path, entry).catch((err: unknown) => line(io.stderr, `warning: the run of ${r.path} was not kept in its history: ${(err as Error).message}`)));
          }
        },
      });
      progress.end();
      await Promise.all(kept);
    } finally {
      await setup.close();
    }
  }

  line(io.stdout, formatReport(report));
  if (values.junit) {
    const tmp = `${values.junit}.tmp-${process.pid}`;
    writeFileSync(tmp, junitXml(report));
    renameSync(tmp, values.junit);
    line(io.stderr, `JUnit XML written to ${values.junit}`);
  }
  if (io.signal.aborted) return EXIT.error;
  return report.ok ? EXIT.ok : EXIT.error;
}
