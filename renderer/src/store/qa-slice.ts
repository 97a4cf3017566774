// qa.*: dialog scripts being edited (checked as typed by main, with the CLI's parser), QA jobs (record,
// replay, compare) as main reports them, a replay's verdicts as they arrive, a failed turn's diff, the
// sidecar assertions being edited, and the two streams of a compare. Jobs live main-side: after a reload
// `load()` finds them and the pushes carry on. No verdict or rule is computed here.
import type { SessionEvent } from '../../../shared/events';
import { toIpcError, type DebuggerApi, type PushPayload } from '../../../shared/ipc';
import type {
  AssertionProblem,
  CompareResultData,
  CompareSide,
  CompareTarget,
  DialogEntry,
  QaJob,
  QaJobDetail,
  ReplayCassetteData,
  ReplayResultData,
  ReplayTurnData,
  RunHistoryEntry,
  ScriptCheck,
} from '../../../shared/qa-ipc';
import type { TurnDiffData } from '../../../shared/recordings-ipc';
import type { ScenarioName } from '../../../shared/scenarios';
import { attempter } from './attempt';
import { applyEvents, EMPTY_TURNS, type TurnsState } from './turn-model';
import { patch, type SliceCreator } from './types';

export const QA_TABS = ['dialogs', 'replay', 'assertions', 'compare'] as const;
export type QaTab = (typeof QA_TABS)[number];

export interface ReplayRun {
  cassettes: ReplayCassetteData[];
  turns: ReplayTurnData[];
  ok?: boolean;
  totals?: ReplayResultData['totals'];
}

export interface CompareRun {
  turns: Record<CompareSide, TurnsState>;
  /** Events applied per side (pushes carry their start index). */
  seen: Record<CompareSide, number>;
  result?: CompareResultData;
}

export interface DialogDraft {
  /** The saved name it was opened from (absent: a new script). */
  savedAs?: string;
  name: string;
  text: string;
  check?: ScriptCheck;
  dirty: boolean;
}

export interface AssertionsDraft {
  id: string;
  fileName: string;
  exists: boolean;
  text: string;
  errors: AssertionProblem[];
  dirty: boolean;
}

export interface QaSlice {
  qa: {
    tab: QaTab;
    dialogs: DialogEntry[];
    draft: DialogDraft;
    jobs: Record<string, QaJob>;
    /** Newest job per kind (what each panel shows). */
    current: Partial<Record<QaJob['kind'], string>>;
    replays: Record<string, ReplayRun>;
    compares: Record<string, CompareRun>;
    /** Replay picks: recording ids, or the whole folder. */
    picked: string[];
    pickAll: boolean;
    replayEnv: string;
    replayScenario?: ScenarioName;
    speed: 'recorded' | 'fast';
    turnDiff?: { jobId: string; cassette: number; turn: number; id: string; diff: TurnDiffData };
    history: Record<string, RunHistoryEntry[]>;
    assertions?: AssertionsDraft;
    compareA: CompareTarget;
    compareB: CompareTarget;
    compareInput: string;
    compareDialog?: string;
    error?: string;
    notice?: string;
    setTab(t: QaTab): void;
    load(): Promise<void>;
    loadDialogs(): Promise<void>;
    newDraft(): void;
    openDialog(name: string): Promise<void>;
    editDraft(p: Partial<Pick<DialogDraft, 'name' | 'text'>>): Promise<void>;
    saveDraft(): Promise<boolean>;
    deleteDialog(name: string): Promise<void>;
    record(environment: string, scenario?: ScenarioName): Promise<void>;
    cancel(jobId: string): Promise<void>;
    setReplay(p: Partial<Pick<QaSlice['qa'], 'picked' | 'pickAll' | 'replayEnv' | 'replayScenario' | 'speed'>>): void;
    togglePick(id: string): void;
    replay(): Promise<void>;
    openTurnDiff(jobId: string, cassette: number, turn: number): Promise<void>;
    closeTurnDiff(): void;
    junit(jobId: string): Promise<{ fileName: string; content: string } | undefined>;
    loadHistory(id: string): Promise<void>;
    openAssertions(id: string): Promise<void>;
    editAssertions(text: string): Promise<void>;
    saveAssertions(): Promise<boolean>;
    setCompare(p: Partial<Pick<QaSlice['qa'], 'compareA' | 'compareB' | 'compareInput' | 'compareDialog'>>): void;
    compare(): Promise<void>;
    onJob(p: PushPayload<'main:qa.job'>): void;
    onCompare(p: PushPayload<'main:qa.compare'>): void;
    clearMessages(): void;
  };
}

const emptyCompare = (): CompareRun => ({ turns: { a: EMPTY_TURNS, b: EMPTY_TURNS }, seen: { a: 0, b: 0 } });

export const createQaSlice =
  (api: DebuggerApi): SliceCreator<QaSlice> =>
  (set, get) => {
    const qa = (value: Partial<QaSlice['qa']>) => set(patch('qa', value));
    const fail = (err: unknown) => qa({ error: toIpcError(err).message, notice: undefined });
    const attempt = attempter(fail);
    /** Only the newest check answer counts (the text may have changed while one was on its way). */
    let checkTicket = 0;
    let assertTicket = 0;

    const applyDetail = (d: QaJobDetail) => {
      const s = get().qa;
      qa({
        jobs: { ...s.jobs, [d.job.id]: d.job },
        ...(d.replay ? { replays: { ...s.replays, [d.job.id]: { cassettes: d.replay.cassettes, turns: d.replay.turns, ...(d.job.state !== 'running' ? { ok: d.replay.ok, totals: d.replay.totals } : {}) } } } : {}),
        ...(d.compare ? { compares: { ...s.compares, [d.job.id]: { ...(s.compares[d.job.id] ?? emptyCompare()), ...(d.job.state !== 'running' ? { result: d.compare } : {}) } } } : {}),
      });
    };
    const catchUpCompare = async (jobId: string) => {
      const ev = await api.invoke('renderer:compare.events', { jobId });
      for (const side of ['a', 'b'] as const) get().qa.onCompare({ jobId, side, from: 0, events: ev[side] });
    };
    const follow = (job: QaJob) => {
      const s = get().qa;
      qa({ jobs: { ...s.jobs, [job.id]: job }, current: { ...s.current, [job.kind]: job.id } });
    };

    return {
      qa: {
        tab: 'dialogs',
        dialogs: [],
        draft: { name: 'new-dialog', text: '', dirty: false },
        jobs: {},
        current: {},
        replays: {},
        compares: {},
        picked: [],
        pickAll: false,
        replayEnv: 'demo',
        speed: 'fast',
        history: {},
        compareA: { environment: 'demo', scenario: 'happy' },
        compareB: { environment: 'demo', scenario: 'pii' },
        compareInput: '',
        setTab(tab) {
          qa({ tab });
        },
        async load() {
          await attempt(async () => {
            const { jobs } = await api.invoke('renderer:qa.jobs', {});
            const current: QaSlice['qa']['current'] = {};
            for (const d of jobs) {
              applyDetail(d);
              current[d.job.kind] = d.job.id;
            }
            qa({ current: { ...current, ...get().qa.current } });
            for (const d of jobs) if (d.job.kind === 'compare') await catchUpCompare(d.job.id);
          });
        },
        async loadDialogs() {
          await attempt(async () => qa({ dialogs: (await api.invoke('renderer:dialogs.list', {})).dialogs }));
        },
        newDraft() {
          qa({ draft: { name: 'new-dialog', text: '', dirty: false } });
        },
        async openDialog(name) {
          await attempt(async () => {
            const { text } = await api.invoke('renderer:dialogs.read', { name });
            qa({ draft: { savedAs: name, name, text, dirty: false }, error: undefined });
            await get().qa.editDraft({});
          });
        },
        async editDraft(p) {
          const draft = { ...get().qa.draft, ...p, dirty: get().qa.draft.dirty || p.text !== undefined || p.name !== undefined };
          qa({ draft });
          const ticket = ++checkTicket;
          try {
            const check = await api.invoke('renderer:dialogs.check', { text: draft.text });
            if (ticket === checkTicket) qa({ draft: { ...get().qa.draft, check } });
          } catch (err) {
            if (ticket === checkTicket) fail(err);
          }
        },
        async saveDraft() {
          const d = get().qa.draft;
          const saved = await attempt(async () => {
            const { entry } = await api.invoke('renderer:dialogs.save', { name: d.name, text: d.text });
            qa({ draft: { ...get().qa.draft, savedAs: entry.name, dirty: false }, error: undefined, notice: `Saved ${entry.name}.txt (${entry.turns} turn${entry.turns === 1 ? '' : 's'})` });
            await get().qa.loadDialogs();
            return true;
          });
          return saved ?? false;
        },
        async deleteDialog(name) {
          await attempt(async () => {
            await api.invoke('renderer:dialogs.delete', { name });
            if (get().qa.draft.savedAs === name) get().qa.newDraft();
            qa({ notice: `Deleted ${name}.txt`, error: undefined });
          });
          await get().qa.loadDialogs();
        },
        async record(environment, scenario) {
          const d = get().qa.draft;
          if (!d.savedAs || d.dirty) {
            if (!(await get().qa.saveDraft())) return;
          }
          await attempt(async () => {
            const { job } = await api.invoke('renderer:dialogs.record', { name: get().qa.draft.savedAs as string, environment, ...(scenario ? { scenario } : {}) });
            follow(job);
            qa({ error: undefined, notice: undefined });
          });
        },
        async cancel(jobId) {
          await attempt(() => api.invoke('renderer:qa.cancel', { jobId }));
        },
        setReplay(p) {
          qa(p);
        },
        togglePick(id) {
          const picked = get().qa.picked;
          qa({ picked: picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id] });
        },
        async replay() {
          const s = get().qa;
          await attempt(async () => {
            const { job } = await api.invoke('renderer:replay.start', {
              ids: s.pickAll ? [] : s.picked,
              ...(s.pickAll ? { all: true } : {}),
              environment: s.replayEnv,
              ...(s.replayScenario ? { scenario: s.replayScenario } : {}),
              speed: s.speed,
            });
            follow(job);
            qa({ replays: { ...get().qa.replays, [job.id]: { cassettes: [], turns: [] } }, turnDiff: undefined, error: undefined, notice: undefined });
          });
        },
        async openTurnDiff(jobId, cassette, turn) {
          await attempt(async () => {
            const { id, diff } = await api.invoke('renderer:replay.turnDiff', { jobId, cassette, turn });
            qa({ turnDiff: { jobId, cassette, turn, id, diff }, error: undefined });
          });
        },
        closeTurnDiff() {
          qa({ turnDiff: undefined });
        },
        junit(jobId) {
          return attempt(() => api.invoke('renderer:replay.junit', { jobId }));
        },
        async loadHistory(id) {
          await attempt(async () => {
            const { runs } = await api.invoke('renderer:replay.history', { id });
            qa({ history: { ...get().qa.history, [id]: runs } });
          });
        },
        async openAssertions(id) {
          await attempt(async () => {
            const r = await api.invoke('renderer:assertions.read', { id });
            qa({ assertions: { id, fileName: r.fileName, exists: r.exists, text: r.text, errors: [], dirty: false }, error: undefined, notice: undefined });
            await get().qa.editAssertions(r.text);
            qa({ assertions: { ...(get().qa.assertions as AssertionsDraft), dirty: false } });
          });
        },
        async editAssertions(text) {
          const a = get().qa.assertions;
          if (!a) return;
          qa({ assertions: { ...a, text, dirty: true } });
          const ticket = ++assertTicket;
          try {
            const { errors } = await api.invoke('renderer:assertions.check', { text });
            const cur = get().qa.assertions;
            if (ticket === assertTicket && cur) qa({ assertions: { ...cur, errors } });
          } catch (err) {
            if (ticket === assertTicket) fail(err);
          }
        },
        async saveAssertions() {
          const a = get().qa.assertions;
          if (!a) return false;
          const saved = await attempt(async () => {
            const { fileName } = await api.invoke('renderer:assertions.save', { id: a.id, text: a.text });
            qa({ assertions: { ...a, fileName, exists: a.text.trim() !== '', dirty: false }, error: undefined, notice: a.text.trim() ? `Saved ${fileName}` : `Removed ${fileName}` });
            return true;
          });
          return saved ?? false;
        },
        setCompare(p) {
          qa(p);
        },
        async compare() {
          const s = get().qa;
          await attempt(async () => {
            const { job } = await api.invoke('renderer:compare.start', { a: s.compareA, b: s.compareB, ...(s.compareDialog ? { dialog: s.compareDialog } : { input: s.compareInput }) });
            qa({ compares: { ...get().qa.compares, [job.id]: emptyCompare() }, error: undefined, notice: undefined });
            follow(job);
          });
        },
        onJob({ job, turn, cassette }) {
          const s = get().qa;
          const run = s.replays[job.id] ?? { cassettes: [], turns: [] };
          const next: Partial<QaSlice['qa']> = { jobs: { ...s.jobs, [job.id]: job } };
          if (!s.current[job.kind]) next.current = { ...s.current, [job.kind]: job.id };
          if (turn && !run.turns.some((t) => t.cassette === turn.cassette && t.index === turn.index)) next.replays = { ...s.replays, [job.id]: { ...run, turns: [...run.turns, turn] } };
          if (cassette && !run.cassettes.some((c) => c.id === cassette.id)) next.replays = { ...(next.replays ?? s.replays), [job.id]: { ...(next.replays?.[job.id] ?? run), cassettes: [...run.cassettes, cassette] } };
          qa(next);
          if (job.state !== 'running') {
            // The end: fetch the whole result once (totals, the compare's diff).
            void api.invoke('renderer:qa.job', { jobId: job.id }).then(applyDetail, fail);
            if (job.kind === 'record') void get().recordings.load();
            // Each replayed recording's history has a new run.
            if (job.kind === 'replay') for (const c of (next.replays ?? s.replays)[job.id]?.cassettes ?? []) void get().qa.loadHistory(c.id);
          }
        },
        onCompare({ jobId, side, from, events }) {
          const s = get().qa;
          const run = s.compares[jobId] ?? emptyCompare();
          // Pushes before a reloaded page caught up are in what it fetched: a batch past what was seen waits for that.
          if (from > run.seen[side]) return;
          const skip = run.seen[side] - from;
          if (skip >= events.length) return;
          const fresh: readonly SessionEvent[] = skip > 0 ? events.slice(skip) : events;
          const { turns } = applyEvents(run.turns[side], fresh);
          qa({ compares: { ...s.compares, [jobId]: { ...run, turns: { ...run.turns, [side]: turns }, seen: { ...run.seen, [side]: Math.max(run.seen[side], from + events.length) } } } });
        },
        clearMessages() {
          qa({ error: undefined, notice: undefined });
        },
      },
    };
  };
