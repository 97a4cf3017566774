// Verdicts of a replay, the same shape whichever face ran it: the CLI (read back from its JUnit XML, the
// file CI consumes) or the core replay the app calls (replayOnEngine on an opened session). A test runs
// both on the same cassettes and expects identical verdicts.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { replayOnEngine } from '../../electron/core/recording/engine-replay';
import type { ReplayOptions, ReplayReport } from '../../electron/core/recording/replay-runner';
import { openSession, type OpenSessionOptions } from '../../electron/core/session/open-session';
import { runCli } from '../core/recording/helpers/in-process-cli';

export interface TurnVerdict {
  cassette: string;
  /** 1-based, as JUnit names it. */
  turn: number;
  verdict: 'pass' | 'fail' | 'error';
  /** The checks that failed, sorted (`text`, `assert.ttft`, …). */
  failed: string[];
}

const order = (v: TurnVerdict[]) => [...v].sort((a, b) => a.cassette.localeCompare(b.cassette) || a.turn - b.turn);

export function verdictsOfReport(report: ReplayReport): TurnVerdict[] {
  return order(
    report.cassettes.flatMap((c) =>
      c.turns.map((t) => ({
        cassette: c.path,
        turn: t.index + 1,
        verdict: t.error ? ('error' as const) : t.ok ? ('pass' as const) : ('fail' as const),
        failed: t.error ? [] : t.checks.filter((x) => !x.ok).map((x) => x.check).sort(),
      })),
    ),
  );
}

interface JunitCase {
  name: string;
  failure?: { type: string };
  error?: unknown;
}

export function verdictsOfJunit(xml: string): TurnVerdict[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' });
  const suites = (parser.parse(xml) as { testsuites: { testsuite?: Array<{ name: string; testcase?: JunitCase[] }> } }).testsuites.testsuite ?? [];
  return order(
    suites.flatMap((s) =>
      (s.testcase ?? []).map((c) => {
        const turn = Number(/^turn (\d+):/.exec(c.name)?.[1]);
        if (!Number.isInteger(turn)) throw new Error(`not a turn test case: ${c.name}`);
        return {
          cassette: s.name,
          turn,
          verdict: c.error !== undefined ? ('error' as const) : c.failure ? ('fail' as const) : ('pass' as const),
          failed: c.failure ? c.failure.type.split(',').sort() : [],
        };
      }),
    ),
  );
}

/** `replay` through the CLI's main(), verdicts read from the JUnit it wrote. */
export async function cliReplayVerdicts(args: string[], junitPath: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; verdicts: TurnVerdict[] }> {
  const r = await runCli(['replay', ...args, '--junit', junitPath], { env });
  return { code: r.code, stdout: r.stdout, verdicts: verdictsOfJunit(readFileSync(junitPath, 'utf8')) };
}

/** The core replay on a session opened by core openSession, as the app does. */
export async function coreReplayVerdicts(paths: string[], session: OpenSessionOptions, opts: Omit<ReplayOptions, 'openSession'> = {}): Promise<{ report: ReplayReport; verdicts: TurnVerdict[] }> {
  const s = await openSession(session);
  try {
    const report = await replayOnEngine(paths, s.engine, opts);
    return { report, verdicts: verdictsOfReport(report) };
  } finally {
    await s.close();
  }
}
