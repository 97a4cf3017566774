// Compare as a QA job: one input (or a saved dialog script) sent to two environments at once — staging and
// production, two models, or one environment duplicated under another filter policy — by the core's
// compareEnvironments (the CLI's `compare`), each side its own session, streaming to every window on
// `main:qa.compare`, then its structured diff and verdict per turn. A side may force a demo scenario.
import type { SessionEvent } from '../../../shared/events';
import type { ScriptTurn } from '../../../shared/dialog-script';
import type { CompareResultData, CompareSide, CompareTarget } from '../../../shared/qa-ipc';
import { compareEnvironments, type CompareSession } from '../recording/compare';
import { runEngineTurn } from '../recording/engine-turn';
import type { AppDeps } from './app-deps';
import { createEventBatcher } from './event-batcher';
import type { Broadcast, QaJobs } from './qa-jobs';

export interface CompareRequest {
  a: CompareTarget;
  b: CompareTarget;
  turns: ScriptTurn[];
  title: string;
}

const label = (t: CompareTarget) => `${t.environment}${t.scenario ? ` (${t.scenario})` : ''}`;

export function startCompareJob(jobs: QaJobs, deps: Pick<AppDeps, 'openSession' | 'settings'>, broadcast: Broadcast, req: CompareRequest) {
  return jobs.start({ kind: 'compare', title: req.title, environment: `${label(req.a)} ↔ ${label(req.b)}`, compare: { a: req.a, b: req.b } }, async (c) => {
    const events: Record<CompareSide, SessionEvent[]> = { a: [], b: [] };
    c.keep.events = events;
    const result: CompareResultData = { same: true, ok: false, turns: [], verdicts: [], notes: [] };
    c.detail.compare = result;
    const progress = { cassettes: { done: 0, total: 2 }, turns: { done: 0, total: req.turns.length } };
    c.update({ progress });
    const { fallbacks } = await deps.settings.get();
    const sent: Record<CompareSide, number> = { a: 0, b: 0 };
    const batchers = {
      a: createEventBatcher({ send: (evs) => ((broadcast.push('main:qa.compare', { jobId: c.job.id, side: 'a', from: sent.a, events: evs }), (sent.a += evs.length))) }),
      b: createEventBatcher({ send: (evs) => ((broadcast.push('main:qa.compare', { jobId: c.job.id, side: 'b', from: sent.b, events: evs }), (sent.b += evs.length))) }),
    };
    const side = (s: CompareSide) => ({
      label: label(req[s]),
      async open(): Promise<CompareSession> {
        const handle = await deps.openSession(req[s].environment, { fallbacks });
        const { engine } = handle;
        return {
          // This side's scenario wins over the script's (demo: the same input under two scenarios).
          runTurn: async (r) => (await runEngineTurn(engine, { input: r.input, ...((req[s].scenario ?? r.scenario) ? { scenario: req[s].scenario ?? r.scenario } : {}), signal: r.signal, ...(r.onEvent ? { onEvent: r.onEvent } : {}) })).events,
          close: () => handle.close(),
        };
      },
    });
    try {
      const report = await compareEnvironments({
        a: side('a'),
        b: side('b'),
        turns: req.turns,
        signal: c.signal,
        onProgress: (e) => {
          if (e.type === 'turn.start') c.update({ progress: { ...progress, current: `turn ${e.index + 1}/${e.count}: ${e.input.slice(0, 80)}` } });
          else if (e.type === 'event') {
            events[e.side].push(e.event);
            batchers[e.side].push(e.event);
          } else {
            batchers.a.flush();
            batchers.b.flush();
            result.turns.push(e.result.diff);
            result.verdicts.push({ index: e.index, ok: e.result.ok, similarity: e.result.similarity, checks: e.result.checks.map((k) => ({ check: k.check, ok: k.ok, expected: k.expected, got: k.got })), errors: Object.values(e.result.errors) });
            result.same &&= e.result.diff.same;
            progress.turns.done++;
            c.update({ progress: { ...progress } });
          }
        },
      });
      result.ok = report.ok;
      if (req.a.environment === req.b.environment && req.a.scenario === req.b.scenario) result.notes.push('both sides are the same environment and scenario');
      progress.cassettes.done = 2;
      c.update({ progress: { ...progress } });
    } finally {
      batchers.a.close();
      batchers.b.close();
    }
  });
}

export function compareEvents(keep: Record<string, unknown>): Record<CompareSide, SessionEvent[]> {
  return (keep.events as Record<CompareSide, SessionEvent[]> | undefined) ?? { a: [], b: [] };
}
