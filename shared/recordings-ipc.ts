// The IPC shapes of recordings (cassettes in the data dir), their side-by-side diff and the local SSE relay.
// Split from ipc.ts to keep one concept per file; ipc.ts puts them into the channel map.
// Ids are cassette file names checked by a strict pattern here, so no request can name a path outside the
// recordings folder; nothing here can hold a secret (cassettes never contain one).
import { z } from 'zod';
import { FilterHit, SessionId } from './events';

/** `name.jsonl`: letters, digits, `_`, `-`, `.` and spaces; no leading dot or space, no `..`, no slash. */
export const RECORDING_ID_PATTERN = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_. -]{0,99}\.jsonl$/;
export const RECORDING_NAME_PATTERN = /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_. -]{0,99}$/;

export const RecordingId = z.string().regex(RECORDING_ID_PATTERN, 'not a recording id (a file name like "demo-1.jsonl"; no folders)');
export const RecordingName = z
  .string()
  .trim()
  .regex(RECORDING_NAME_PATTERN, 'use letters, digits, spaces, "_", "-" or "." (at most 100; no leading dot, no "..", no slash)');

export const RecordingEntry = z.object({
  id: RecordingId,
  /** The file name without `.jsonl`. */
  name: z.string(),
  /** From the cassette header (ISO 8601); the file's time when the header cannot be read. */
  createdAt: z.string(),
  turns: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  environment: z.string().optional(),
  upstream: z.string().optional(),
  /** Demo: the scenarios its turns ran, comma-separated. */
  scenario: z.string().optional(),
  redacted: z.boolean(),
  /** Being written now (a session's record toggle is on). */
  recording: z.boolean(),
  /** Set when the file cannot be read as a cassette: says which line and what is wrong. */
  problem: z.string().optional(),
});
export type RecordingEntry = z.infer<typeof RecordingEntry>;

/** One recorded turn, summarized for a read-only view. */
export const RecordedTurn = z.object({
  index: z.number().int().nonnegative(),
  turnId: z.string(),
  input: z.string(),
  scenario: z.string().optional(),
  status: z.string(),
  cause: z.string().optional(),
  rawText: z.string().nullable(),
  filteredText: z.string().nullable(),
  tokens: z.number().int().nonnegative(),
  hits: z.array(FilterHit),
  ttftMs: z.number().optional(),
  durationMs: z.number().optional(),
  totalTokens: z.number().optional(),
});
export type RecordedTurn = z.infer<typeof RecordedTurn>;

const TextPart = z.object({ value: z.string(), added: z.boolean().optional(), removed: z.boolean().optional() });
const TextDiff = z.object({ same: z.boolean(), a: z.string(), b: z.string(), similarity: z.number(), patch: z.string(), parts: z.array(TextPart) });
export type TextDiffData = z.infer<typeof TextDiff>;
const Delta = z.object({ a: z.number().optional(), b: z.number().optional(), delta: z.number().optional() });
export type DeltaData = z.infer<typeof Delta>;

/** The core's CassetteDiff (electron/core/recording/cassette-diff.ts) as data. */
export const TurnDiffData = z.object({
  index: z.number().int().nonnegative(),
  same: z.boolean(),
  differs: z.array(z.string()),
  onlyIn: z.enum(['a', 'b']).optional(),
  input: z.object({ a: z.string().optional(), b: z.string().optional(), same: z.boolean() }),
  status: z.object({ a: z.string().optional(), b: z.string().optional(), same: z.boolean() }),
  raw: TextDiff.nullable(),
  filtered: TextDiff.nullable(),
  tokens: z.object({ a: z.number(), b: z.number(), same: z.boolean(), added: z.array(z.number()), removed: z.array(z.number()) }),
  hits: z.object({ added: z.array(FilterHit), gone: z.array(FilterHit), same: z.number() }),
  errors: z.object({ a: z.array(z.string()), b: z.array(z.string()), same: z.boolean() }),
  leaks: z.object({ a: z.number(), b: z.number() }),
  timing: z.object({ ttftMs: Delta, durationMs: Delta }),
  usage: z.object({ prompt: Delta, completion: Delta, total: Delta, same: z.boolean() }),
});
export type TurnDiffData = z.infer<typeof TurnDiffData>;
export const CassetteDiffData = z.object({
  same: z.boolean(),
  headerChanges: z.array(z.string()),
  turnCount: z.object({ a: z.number(), b: z.number() }),
  turns: z.array(TurnDiffData),
  notes: z.array(z.string()),
});
export type CassetteDiffData = z.infer<typeof CassetteDiffData>;

export const RelayStatus = z.object({
  running: z.boolean(),
  /** `http://127.0.0.1:N` */
  url: z.string().optional(),
  environment: z.string().optional(),
});
export type RelayStatus = z.infer<typeof RelayStatus>;

/** Largest cassette accepted by import (Electron IPC; browser mode's bridge caps one message at 1 MiB). */
export const MAX_IMPORT_CHARS = 32 * 1024 * 1024;

const ok = z.object({ ok: z.literal(true) });

export const recordingChannels = {
  'renderer:recording.start': {
    /** Records the session's events from now on into a new cassette; `redact` keeps filtered text only. */
    request: z.object({ sessionId: SessionId, redact: z.boolean().optional() }),
    response: z.object({ id: RecordingId, name: z.string() }),
  },
  'renderer:recording.stop': {
    request: z.object({ sessionId: SessionId }),
    response: z.object({ entry: RecordingEntry.optional() }),
  },
  'renderer:recordings.list': {
    request: z.object({}),
    response: z.object({ recordings: z.array(RecordingEntry) }),
  },
  'renderer:recordings.open': {
    request: z.object({ id: RecordingId }),
    response: z.object({ entry: RecordingEntry, turns: z.array(RecordedTurn), warnings: z.array(z.string()) }),
  },
  'renderer:recordings.rename': {
    request: z.object({ id: RecordingId, name: RecordingName }),
    response: z.object({ entry: RecordingEntry }),
  },
  'renderer:recordings.delete': {
    request: z.object({ id: RecordingId }),
    response: ok,
  },
  'renderer:recordings.export': {
    request: z.object({ id: RecordingId }),
    response: z.object({ fileName: z.string(), content: z.string() }),
  },
  'renderer:recordings.import': {
    /** The file's name (only its base name is used, made safe) and text; checked with the cassette reader. */
    request: z.object({ fileName: z.string().min(1).max(300), content: z.string().max(MAX_IMPORT_CHARS, 'the file is too large to import') }),
    response: z.object({ entry: RecordingEntry, warnings: z.array(z.string()) }),
  },
  'renderer:recordings.diff': {
    request: z.object({ a: RecordingId, b: RecordingId }),
    response: z.object({ a: RecordingEntry, b: RecordingEntry, diff: CassetteDiffData }),
  },
  'renderer:relay.start': {
    /**
     * One relay for the app; starting it again restarts it for this environment. port 0/absent = a free one.
     * sessionId: the caller's open session of that environment — the relay then runs its turns there, so
     * they appear in that window's lanes (and the relay stops when that session closes).
     */
    request: z.object({ environment: z.string().min(1), port: z.number().int().min(0).max(65535).optional(), sessionId: z.string().min(1).optional() }),
    response: RelayStatus,
  },
  'renderer:relay.stop': {
    request: z.object({}),
    response: RelayStatus,
  },
  'renderer:relay.status': {
    request: z.object({}),
    response: RelayStatus,
  },
} as const;
