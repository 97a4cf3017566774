// Compare as a QA job: one input (or a saved dialog script) sent to two environments at once — staging and
// production, two models, or one environment duplicated under another filter policy — each side its own
// session, streaming to every window on `main:qa.compare`, then the `diff` command's structured diff per
// turn. Both sides of a turn start together, so neither waits on the other's answer.
import type { SessionEvent } from '../../../shared/events';
import type { CompareSide, CompareTarget } from '../../../shared/qa-ipc';
import { diffTurns } from '../recording/cassette-diff';
import type { ScriptTurn } from '../recording/dialog-script';
import { runEngineTurn } from '../recording/engine-turn';
import { summarizeTurns } from '../recording/turns';
import type { AppDeps, SessionHandle } from './app-deps';
import { createEventBatcher } from './event-batcher';
import type { Broadcast, QaJobs } from './qa-jobs';

export interface CompareRequest {
  a: CompareTarget;
  b: CompareTarget;
  turns: ScriptTurn[];
  title: string;
}

export function startCompareJob(jobs: QaJobs, deps: Pick<AppDeps, 'openSession' | 'settings'>, broadcast: Broadcast, req: CompareRequest) {
  const label = (t: CompareTarget) => `${t.environment}${t.scenario ? ` (${t.scenario})` : ''}`;
  return jobs.start({ kind: 'compare', title: req.title, environment: `${label(req.a)} ↔ ${label(req.b)}`, compare: { a: req.a, b: req.b } }, async (c) => {
    const events: Record<CompareSide, SessionEvent[]> = { a: [], b: [] };
    c.keep.events = events;
    const result = { same: true, turns: [] as NonNullable<typeof c.detail.compare>['turns'], notes: [] as string[] };
    c.detail.compare = result;
    const progress = { cassettes: { done: 0, total: 2 }, turns: { done: 0, total: req.turns.length } };
    c.update({ progress });
    const { fallbacks } = await deps.settings.get();
    const handles: Partial<Record<CompareSide, SessionHandle>> = {};
    const sent: Record<CompareSide, number> = { a: 0, b: 0 };
    const batchers = (['a', 'b'] as const).map((side) =>
      createEventBatcher({
        send: (evs) => {
          broadcast.push('main:qa.compare', { jobId: c.job.id, side, from: sent[side], events: evs });
          sent[side] += evs.length;
        },
      }),
    );
    try {
      for (const side of ['a', 'b'] as const) handles[side] = await deps.openSession(req[side].environment, { fallbacks });
      for (let i = 0; i < req.turns.length; i++) {
        if (c.signal.aborted) break;
        const turn = req.turns[i] as ScriptTurn;
        c.update({ progress: { ...progress, current: `turn ${i + 1}/${req.turns.length}: ${turn.input.slice(0, 80)}` } });
        const runs = await Promise.all(
          (['a', 'b'] as const).map(async (side, k) => {
            const engine = handles[side]?.core?.engine;
            if (!engine) throw new Error(`${req[side].environment} cannot be compared (no engine)`);
            const scenario = req[side].scenario ?? turn.scenario;
            return runEngineTurn(engine, {
              input: turn.input,
              ...(scenario ? { scenario } : {}),
              signal: c.signal,
              onEvent: (e) => {
                events[side].push(e);
                batchers[k]?.push(e);
              },
            });
          }),
        );
        for (const b of batchers) b.flush();
        const [ta, tb] = runs.map((r) => summarizeTurns(r.events)[0]);
        const d = diffTurns(ta, tb, i, { a: label(req.a), b: label(req.b) });
        result.turns.push(d);
        result.same &&= d.same;
        progress.turns.done++;
        c.update({ progress: { ...progress } });
      }
      if (req.a.environment === req.b.environment && req.a.scenario === req.b.scenario) result.notes.push('both sides are the same environment and scenario');
      progress.cassettes.done = 2;
      c.update({ progress: { ...progress } });
    } finally {
      for (const b of batchers) b.close();
      await Promise.allSettled(Object.values(handles).map((h) => h?.close()));
    }
  });
}

export function compareEvents(keep: Record<string, unknown>): Record<CompareSide, SessionEvent[]> {
  return (keep.events as Record<CompareSide, SessionEvent[]> | undefined) ?? { a: [], b: [] };
}
