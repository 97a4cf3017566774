// One turn through the real turn runner (reassembly, filter, status) with an in-memory upstream that sends
// exactly the frames a case needs: what the turn-status and inspector tests build their turns from.
import { Environment } from '../../shared/environment';
import type { SessionEvent } from '../../shared/events';
import { DEFAULT_FALLBACKS } from '../../electron/core/fallbacks';
import { compilePolicy } from '../../electron/core/filters';
import type { TurnContext, TurnSummary } from '../../electron/core/session/turn-context';
import { runTurn } from '../../electron/core/session/turn-runner';
import type { Upstream, UpstreamSink } from '../../electron/core/upstreams/upstream';

export const MEMORY_ENV = Environment.parse({ name: 'mem', kind: 'gateway', gateway: { host: '127.0.0.1:1', clientId: 'c', dialogId: 'd' } });

/** A script may be async: it yields between tokens as a live upstream does (one token per tick). */
export function scriptedUpstream(script: (sink: UpstreamSink) => void | Promise<void>): Upstream {
  return { kind: 'gateway', runTurn: async (_req, sink) => script(sink), close: async () => {} };
}

/** Runs one turn; `sync` as the engine would pass it (absent: no write-back); `filterClock` and `compiled` as the engine's. */
export async function runScriptedTurn(
  script: (sink: UpstreamSink) => void | Promise<void>,
  o: { sync?: TurnContext['sync']; filterClock?: TurnContext['filterClock']; compiled?: TurnContext['compiled'] } = {},
): Promise<{ summary: TurnSummary; events: SessionEvent[] }> {
  const events: SessionEvent[] = [];
  const ac = new AbortController();
  const summary = await runTurn({
    environment: MEMORY_ENV,
    upstream: scriptedUpstream(script),
    identity: { sessionId: 's', userId: 'u' },
    input: 'hi',
    signal: ac.signal,
    abort: () => ac.abort(),
    compiled: o.compiled ?? compilePolicy(undefined),
    hashSalt: 'salt',
    fallbacks: DEFAULT_FALLBACKS,
    maxRateLimitAttempts: 1,
    emit: (e) => events.push(e),
    ...(o.sync ? { sync: o.sync } : {}),
    ...(o.filterClock ? { filterClock: o.filterClock } : {}),
  });
  return { summary, events };
}
