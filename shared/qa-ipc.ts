// The IPC shapes of QA in the app: dialog scripts (the file `record --script` reads), recording a script,
// replaying recordings as regression tests (the CLI's `replay` checks, on the same core), a recording's
// sidecar assertions, and comparing two environments. Long work runs as a job owned by the app service,
// not by a window: it reports on `main:qa.job` to every window, so a reloaded page finds it still running.
// Nothing here can hold a secret: scripts, checks, JUnit and history only ever carry texts and numbers.
import { z } from 'zod';
import { EnvName } from './environment';
import { SessionEvent } from './events';
import { RecordingId, RecordingName, TurnDiffData } from './recordings-ipc';
import { ScenarioName } from './scenarios';

/** A dialog script is `<dataDir>/dialogs/<name>.txt`; the name follows the recordings' file-name rule. */
export const DialogName = RecordingName;

/** Largest script or sidecar the app accepts (browser mode's bridge caps one message at 1 MiB). */
export const MAX_QA_TEXT_CHARS = 512 * 1024;
const QaText = z.string().max(MAX_QA_TEXT_CHARS, 'the text is too long (over 512 KB)');

export const DialogEntry = z.object({
  name: z.string(),
  turns: z.number().int().nonnegative(),
  updatedAt: z.string(),
  /** The script does not parse: the first error, naming its line. */
  problem: z.string().optional(),
});
export type DialogEntry = z.infer<typeof DialogEntry>;

export const ScriptTurnData = z.object({
  line: z.number().int().positive(),
  input: z.string(),
  scenario: z.string().optional(),
  /** The turn's own assertions, as the script states them (JSON). */
  assert: z.unknown().optional(),
});
export type ScriptTurnData = z.infer<typeof ScriptTurnData>;

export const ScriptProblem = z.object({ line: z.number().int().nonnegative(), message: z.string() });
export type ScriptProblem = z.infer<typeof ScriptProblem>;

export const ScriptCheck = z.object({ turns: z.array(ScriptTurnData), errors: z.array(ScriptProblem) });
export type ScriptCheck = z.infer<typeof ScriptCheck>;

/** A problem in an assertions file: the JSON path (`turns.2.maxTtftMs`, `(root)`) and what is wrong. */
export const AssertionProblem = z.object({ path: z.string(), message: z.string() });
export type AssertionProblem = z.infer<typeof AssertionProblem>;

export const CheckData = z.object({ check: z.string(), ok: z.boolean(), expected: z.string(), got: z.string(), diff: z.string().optional() });
export type CheckData = z.infer<typeof CheckData>;

const Pair = z.object({ recorded: z.number().optional(), replayed: z.number().optional() });

export const ReplayTurnData = z.object({
  /** Position of the cassette in the run. */
  cassette: z.number().int().nonnegative(),
  id: RecordingId,
  index: z.number().int().nonnegative(),
  input: z.string(),
  scenario: z.string().optional(),
  ok: z.boolean(),
  error: z.string().optional(),
  checks: z.array(CheckData),
  /** Similarity of the recorded and replayed answer texts, 0..1. */
  similarity: z.number().optional(),
  ttftMs: Pair,
  totalTokens: Pair,
  timeMs: z.number(),
});
export type ReplayTurnData = z.infer<typeof ReplayTurnData>;

export const ReplayCassetteData = z.object({
  id: RecordingId,
  ok: z.boolean(),
  error: z.string().optional(),
  warnings: z.array(z.string()),
  /** The sidecar assertions file it used, by file name. */
  assertions: z.string().optional(),
  turns: z.number().int().nonnegative(),
});
export type ReplayCassetteData = z.infer<typeof ReplayCassetteData>;

export const ReplayTotals = z.object({
  cassettes: z.number().int().nonnegative(),
  turns: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
});

export const ReplayResultData = z.object({ ok: z.boolean(), cassettes: z.array(ReplayCassetteData), turns: z.array(ReplayTurnData), totals: ReplayTotals });
export type ReplayResultData = z.infer<typeof ReplayResultData>;

export const CompareSide = z.enum(['a', 'b']);
export type CompareSide = z.infer<typeof CompareSide>;

export const CompareTarget = z.object({
  environment: EnvName,
  /** Demo only: the simulator scenario of this side. */
  scenario: ScenarioName.optional(),
});
export type CompareTarget = z.infer<typeof CompareTarget>;

export const CompareResultData = z.object({
  /** Every turn's structured diff says "same". */
  same: z.boolean(),
  /** The core's verdict (the CLI `compare`'s exit code): no difference beyond the similarity, no leak, alike ends. */
  ok: z.boolean(),
  /** The core's structured diff per turn (A = first environment). */
  turns: z.array(TurnDiffData),
  verdicts: z.array(z.object({ index: z.number().int().nonnegative(), ok: z.boolean(), similarity: z.number(), checks: z.array(CheckData), errors: z.array(z.string()) })),
  notes: z.array(z.string()),
});
export type CompareResultData = z.infer<typeof CompareResultData>;

export const QA_JOB_KINDS = ['record', 'replay', 'compare'] as const;
export const QaJobKind = z.enum(QA_JOB_KINDS);
export type QaJobKind = z.infer<typeof QaJobKind>;

export const QaJob = z.object({
  id: z.string(),
  kind: QaJobKind,
  /** running → done | cancelled | failed; `stopped` = the app ended it (it was closing). */
  state: z.enum(['running', 'done', 'cancelled', 'failed', 'stopped']),
  title: z.string(),
  environment: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  progress: z.object({
    cassettes: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
    turns: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
    /** What runs now, for the progress line. */
    current: z.string().optional(),
  }),
  error: z.string().optional(),
  /** record: the cassette written (kept when cancelled or failed, with what was recorded so far). */
  recording: RecordingId.optional(),
  compare: z.object({ a: CompareTarget, b: CompareTarget }).optional(),
});
export type QaJob = z.infer<typeof QaJob>;

/** A job with everything it produced so far (the push carries only what changed). */
export const QaJobDetail = z.object({
  job: QaJob,
  replay: ReplayResultData.optional(),
  compare: CompareResultData.optional(),
});
export type QaJobDetail = z.infer<typeof QaJobDetail>;

export const RunHistoryEntry = z.object({
  at: z.string(),
  environment: z.string(),
  scenario: z.string().optional(),
  /** Which face ran it. */
  source: z.enum(['cli', 'app']),
  ok: z.boolean(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
});
export type RunHistoryEntry = z.infer<typeof RunHistoryEntry>;

const JobRef = z.object({ jobId: z.string().min(1) });
const ok = z.object({ ok: z.literal(true) });

export const qaChannels = {
  'renderer:dialogs.list': { request: z.object({}), response: z.object({ dialogs: z.array(DialogEntry) }) },
  'renderer:dialogs.read': { request: z.object({ name: DialogName }), response: z.object({ name: z.string(), text: z.string() }) },
  'renderer:dialogs.check': {
    /** Validates a script as typed, with the CLI's parser: every problem, by line. */
    request: z.object({ text: QaText }),
    response: ScriptCheck,
  },
  'renderer:dialogs.save': {
    /** Refused (invalid-request naming the line) when the script does not parse: `record` would refuse it. */
    request: z.object({ name: DialogName, text: QaText }),
    response: z.object({ entry: DialogEntry }),
  },
  'renderer:dialogs.delete': { request: z.object({ name: DialogName }), response: ok },
  'renderer:dialogs.record': {
    /** Records the saved script against an environment into a new cassette; progress on `main:qa.job`. */
    request: z.object({ name: DialogName, environment: EnvName, scenario: ScenarioName.optional() }),
    response: z.object({ job: QaJob }),
  },
  'renderer:replay.start': {
    /** `all`: every recording in the folder. speed: `recorded` = the recording's own pacing, `fast` = none (demo). */
    request: z.object({
      ids: z.array(RecordingId).max(1000),
      all: z.boolean().optional(),
      environment: EnvName,
      scenario: ScenarioName.optional(),
      speed: z.enum(['recorded', 'fast']),
    }),
    response: z.object({ job: QaJob }),
  },
  'renderer:replay.turnDiff': {
    /** The side-by-side diff (the `diff` command's) of one replayed turn against its recording. */
    request: z.object({ jobId: z.string().min(1), cassette: z.number().int().nonnegative(), turn: z.number().int().nonnegative() }),
    response: z.object({ id: RecordingId, diff: TurnDiffData }),
  },
  'renderer:replay.junit': {
    /** The JUnit XML the CLI's `replay --junit` writes for the same run. */
    request: JobRef,
    response: z.object({ fileName: z.string(), content: z.string() }),
  },
  'renderer:replay.history': {
    request: z.object({ id: RecordingId }),
    response: z.object({ runs: z.array(RunHistoryEntry) }),
  },
  'renderer:assertions.read': {
    request: z.object({ id: RecordingId }),
    response: z.object({ fileName: z.string(), exists: z.boolean(), text: z.string() }),
  },
  'renderer:assertions.check': {
    request: z.object({ text: QaText }),
    response: z.object({ errors: z.array(AssertionProblem) }),
  },
  'renderer:assertions.save': {
    /** Refused (invalid-request naming the JSON path) when the file would not load in `replay`. */
    request: z.object({ id: RecordingId, text: QaText }),
    response: z.object({ fileName: z.string() }),
  },
  'renderer:compare.start': {
    /** One input, or a saved dialog script, to two environments at once. */
    request: z.object({ a: CompareTarget, b: CompareTarget, input: z.string().min(1, 'the message is empty').optional(), dialog: DialogName.optional() }),
    response: z.object({ job: QaJob }),
  },
  'renderer:compare.events': {
    /** Every event each side streamed so far (a reloaded page catches up, then follows `main:qa.compare`). */
    request: JobRef,
    response: z.object({ a: z.array(SessionEvent), b: z.array(SessionEvent) }),
  },
  'renderer:qa.jobs': { request: z.object({}), response: z.object({ jobs: z.array(QaJobDetail) }) },
  'renderer:qa.job': { request: JobRef, response: QaJobDetail },
  'renderer:qa.cancel': { request: JobRef, response: ok },
} as const;

export const qaPushChannels = {
  /** A job started, moved on or ended; `turn`: the replay turn that just got its verdict. */
  'main:qa.job': z.object({ job: QaJob, turn: ReplayTurnData.optional(), cassette: ReplayCassetteData.optional() }),
  /** Events a compare side streamed, in order, batched; `from`: the index of the first (a page that caught up skips what it has). */
  'main:qa.compare': z.object({ jobId: z.string(), side: CompareSide, from: z.number().int().nonnegative(), events: z.array(SessionEvent) }),
} as const;
