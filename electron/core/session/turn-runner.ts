// Runs one turn: wires the upstream's sink into reassembly and the streaming filter, retries a 429/1013
// that came before any token (bounded, honouring Retry-After), checks for leaks and estimates usage as the
// answer grows (reported at the end), and queues the sync. Everything that arrived is kept and reported, whatever the outcome.
import { randomUUID } from 'node:crypto';
import type { Cause, ErrorEvent, FilterAction, SessionEvent, UsageEvent } from '../../../shared/events';
import { damageOf, decideTurnStatus, TURN_STATUS_INFO } from '../../../shared/turn-status';
import { fallbackFor } from '../fallbacks';
import { createFilter, createLeakCheck, type FilterChunk } from '../filters';
import { issueToEvent } from '../reassembly/issue-event';
import { createReassembler } from '../reassembly/reassembler';
import type { SyncOutcome } from '../sync/types';
import { createCompletionCounter } from '../usage/estimate';
import { tokenizerForModel } from '../usage/encoding';
import { makeUsageEvent } from '../usage/usage-event';
import type { UpstreamSink } from '../upstreams/upstream';
import { createWebchatPreview, type WebchatPreview } from '../webchat/webchat-preview';
import { UpstreamError } from '../upstreams/upstream-error';
import type { TurnContext, TurnSummary } from './turn-context';
import { countedUsage } from '../../../shared/counted-usage';
import { kindInfo } from '../../../shared/upstream-kinds';

/**
 * One filter step (a feed, or the end) normally takes microseconds; the user's patterns run on a
 * linear-time engine. Should one still take longer than this, the engine stops filtering that turn rather
 * than hold every client (or release what it did not finish checking). Generous, so a GC pause on a busy
 * machine does not end a good answer.
 */
export const FILTER_BUDGET_MS = 1_000;

const RETRYABLE_BEFORE_TOKENS: Cause[] = ['rate_limited', 'try_again_later'];
const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;
const MAX_RATE_LIMIT_WAIT_MS = 30_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new UpstreamError('cancelled', 'cancelled'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new UpstreamError('cancelled', 'cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The fields of `o` that are set (so an event never carries `key: undefined`). */
function defined<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (o) for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function errorEvent(turnId: string, at: number, failure: UpstreamError, fallback: string, retry?: ErrorEvent['retry']): ErrorEvent {
  return {
    type: 'error',
    turnId,
    at,
    cause: failure.kind,
    message: failure.message,
    ...(failure.status !== undefined ? { status: failure.status } : {}),
    ...(failure.closeCode !== undefined ? { closeCode: failure.closeCode } : {}),
    ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
    fallback,
    ...(retry ? { retry } : {}),
  };
}

export async function runTurn(ctx: TurnContext): Promise<TurnSummary> {
  const turnId = `turn-${randomUUID()}`;
  const requestId = randomUUID();
  const t0 = performance.now();
  const at = () => Math.max(0, performance.now() - t0);
  // The Webchat preview reads the turn's own events as they are published (it emits through ctx.emit).
  let preview: WebchatPreview | undefined;
  /** Text appended to the filter this tick and not scanned yet (see scanTick). */
  let unscanned = false;
  /** Set when a tick's scan threw: the turn ends with this error. */
  let scanError: UpstreamError | undefined;
  const emit = (e: SessionEvent) => {
    // Nothing but tokens overtakes the filter: any other event comes after the release of the text before it.
    if (unscanned && e.type !== 'token' && e.type !== 'raw.text' && e.type !== 'filtered.text') scanTick();
    ctx.emit(e);
    preview?.feed(e);
  };

  emit({
    type: 'turn.start',
    turnId,
    at: 0,
    sessionId: ctx.identity.sessionId,
    requestId,
    upstream: ctx.upstream.kind,
    environment: ctx.environment.name,
    input: ctx.input,
    ...(ctx.scenario ? { scenario: ctx.scenario } : {}),
    startedAt: new Date().toISOString(),
  });
  if (ctx.webchat && kindInfo(ctx.upstream.kind).webchat) {
    ctx.emit({ type: 'webchat.settings', turnId, at: 0, ...ctx.webchat });
    preview = createWebchatPreview(turnId, ctx.webchat.flags, ctx.emit);
  }

  let tokenCount = 0;
  const tokenAt: number[] = [];
  /** Detections per type and action (never a value): for summaries. */
  const hitCounts = new Map<string, number>();
  let ttftMs: number | undefined;
  let reported: UsageEvent['reported'];
  let reportedFrom: { by: 'flow'; path: string } | undefined;
  let filteredLength = 0;
  let released = '';
  let blocked: { type: string } | undefined;

  const filter = createFilter(ctx.compiled, { hashSalt: ctx.hashSalt });
  // Work that grows with the answer is done as it grows (issue 13): the usage estimate and the leak check's
  // second filter pass take the raw text piece by piece, so the end of a long turn is no block of work.
  const leakCheck = createLeakCheck(ctx.compiled, { hashSalt: ctx.hashSalt });
  const completion = createCompletionCounter(tokenizerForModel(ctx.environment.model.model));
  const clock = ctx.filterClock ?? (() => performance.now());
  const budgetMs = ctx.filterBudgetMs ?? FILTER_BUDGET_MS;
  /** Set when a filter step overran its budget: the turn ends blocked and that step's output is dropped. */
  let overBudget: string | undefined;
  const timedStep = (step: () => FilterChunk): FilterChunk | undefined => {
    const t = clock();
    const chunk = step();
    const spent = clock() - t;
    if (spent <= budgetMs) return chunk;
    overBudget = `the answer was withheld: one filter step took ${Math.round(spent)} ms, over its budget of ${budgetMs} ms (a slow custom pattern in the policy?)`;
    blocked = { type: 'FILTER_BUDGET' };
    ctx.abort();
    return undefined;
  };
  const publish = (chunk: FilterChunk, force: boolean) => {
    if (!chunk.text && !chunk.hits.length && !force && !chunk.blocked) return;
    emit({
      type: 'filtered.text',
      turnId,
      at: at(),
      start: filteredLength,
      text: chunk.text,
      hits: chunk.hits.map((h) => ({ type: h.type, action: h.action, rawStart: h.start, rawEnd: h.end, outStart: h.outStart, outEnd: h.outEnd })),
      holdback: chunk.holdback,
      holdbackReason: chunk.pending,
    });
    filteredLength += chunk.text.length;
    released += chunk.text;
    for (const h of chunk.hits) hitCounts.set(`${h.type}\u0000${h.action}`, (hitCounts.get(`${h.type}\u0000${h.action}`) ?? 0) + 1);
    leakCheck.released(chunk.text);
    if (chunk.blocked && !blocked) {
      blocked = chunk.blocked;
      ctx.abort();
    }
  };
  let lastHoldback = 0;
  // Tick coalescing (issue 13): the texts of a tick's tokens are gathered as they come and, once the tick's
  // other work is done (a microtask queued by the first token of the tick, or earlier when another event is
  // emitted), joined once and given to the usage count, the filter and the leak check as one text; the
  // filter scans it once. A live stream brings one token per tick, scanned as it arrives; a fast one (replay
  // at speed 0, one socket read carrying many frames) is joined and scanned once per read, not once per
  // token — three consumers appending every token each cost more than the scan itself. Each scan releases
  // what no candidate could still cover, so what is released is the same as feeding the tokens one by one,
  // and no later than the tick they arrived in.
  /** The texts of this tick's tokens, not given to the usage count, the filter and the leak check yet. */
  const tick: string[] = [];
  /** Gives the tick's text to its consumers; true when the filter took it (and should scan). */
  function feedTick(): boolean {
    if (tick.length === 0) return false;
    const text = tick.join(''); // one token: that token's string itself, not a copy
    tick.length = 0;
    completion.add(text);
    if (blocked || scanError) return false;
    filter.append(text);
    leakCheck.feed(text);
    return true;
  }
  function scanTick(): void {
    if (!unscanned) return;
    unscanned = false;
    if (!feedTick()) return;
    let chunk: FilterChunk | undefined;
    try {
      chunk = timedStep(() => filter.scan());
    } catch (err) {
      // The scan may run in a microtask, outside the upstream's listener that turns a bug downstream into a
      // typed error: a bug in it ends this turn the same way, never the process, and nothing more is released.
      scanError = new UpstreamError('internal', `filtering the answer failed: ${(err as Error)?.message ?? String(err)}`);
      ctx.abort();
      return;
    }
    if (!chunk) return;
    publish(chunk, chunk.holdback !== lastHoldback);
    lastHoldback = chunk.holdback;
  }

  const reassembler = createReassembler({
    messages: kindInfo(ctx.upstream.kind).reassembly,
    // Issues the reassembler finds itself (lone surrogates, invalid UTF-8, …) go out live.
    onIssue: (issue) => emit(issueToEvent(turnId, issue)),
    onText: (d) => {
      // The reassembly facts (joined, joinedFrom, byte range, separator) travel with the text.
      emit({ type: 'raw.text', turnId, ...d });
      tick.push(d.text);
      if (!unscanned) {
        unscanned = true;
        queueMicrotask(scanTick);
      }
    },
  });

  // Once the answer has ended (done, error, cancel, block), frames still in flight are ignored: the
  // reassembler and filter are closed, and nothing may be added to an answer already reported.
  let ended = false;
  const sink: UpstreamSink = {
    token(t) {
      if (ended) return;
      const ev: SessionEvent & { type: 'token' } = {
        type: 'token',
        turnId,
        at: at(),
        index: tokenCount++,
        ...(t.text !== undefined ? { text: t.text } : {}),
        ...(t.bytes ? { bytes: toBase64(t.bytes) } : {}),
        origin: t.origin,
      };
      if (ttftMs === undefined) ttftMs = ev.at;
      tokenAt.push(ev.at);
      emit(ev);
      reassembler.feed(ev);
    },
    issue(kind, detail, extra) {
      if (ended) return;
      const ev: SessionEvent & { type: 'frame.issue' } = {
        type: 'frame.issue',
        turnId,
        at: at(),
        kind,
        detail,
        ...(extra?.seq !== undefined ? { seq: extra.seq } : {}),
        ...(extra?.expectedSeq !== undefined ? { expectedSeq: extra.expectedSeq } : {}),
        ...(extra?.frame !== undefined ? { frame: extra.frame } : {}),
        ...(extra?.raw !== undefined ? { raw: extra.raw } : {}),
        ...(extra?.rawTruncated ? { rawTruncated: true } : {}),
      };
      // markIssue first: a gap ends a character held across it, which moves the position.
      ev.position = reassembler.markIssue(ev).position;
      emit(ev);
    },
    messageEnd(messageId, finishReason, extra) {
      if (ended) return;
      emit({ type: 'message.end', turnId, at: at(), ...(messageId ? { messageId } : {}), ...(finishReason ? { finishReason } : {}), ...defined(extra) });
    },
    usage(u, from) {
      if (ended) return;
      reported = u;
      reportedFrom = from;
    },
    structured(p) {
      if (ended) return;
      emit({ type: 'output.structured', turnId, at: at(), ...p, position: reassembler.length() });
    },
    // Also once the answer has ended: a typing state may follow it (the bot's typingOff after its finalPing),
    // and it is still this turn's until the next one starts; it says it came after the end.
    typing(from, status, afterEnd) {
      emit({ type: 'typing', turnId, at: at(), from, status, ...(afterEnd || ended ? { afterEnd: true as const } : {}) });
    },
    connection(e) {
      if (ended) return;
      emit({ type: 'connection', turnId, at: at(), ...e, ...(e.state === 'disconnected' ? { position: reassembler.length() } : {}) });
    },
  };

  let failure: UpstreamError | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.upstream.runTurn(
        { requestId, sessionId: ctx.identity.sessionId, input: ctx.input, scenario: ctx.scenario, repeat: ctx.repeat, signal: ctx.signal, idleTimeoutMs: ctx.idleTimeoutMs, ...(ctx.userTyping ? { userTyping: true } : {}) },
        sink,
      );
      failure = undefined;
      break;
    } catch (err) {
      failure =
        err instanceof UpstreamError
          ? err
          : ctx.signal.aborted
            ? new UpstreamError('cancelled', 'cancelled')
            : new UpstreamError('internal', (err as Error)?.message ?? String(err));
      if (blocked) break;
      const retryable = RETRYABLE_BEFORE_TOKENS.includes(failure.kind) && tokenCount === 0 && attempt < ctx.maxRateLimitAttempts;
      if (!retryable) break;
      const waitMs = Math.min(MAX_RATE_LIMIT_WAIT_MS, failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS * 2 ** (attempt - 1));
      emit(errorEvent(turnId, at(), failure, fallbackFor(failure.kind, ctx.fallbacks), { attempt, of: ctx.maxRateLimitAttempts, inMs: waitMs }));
      try {
        await sleep(waitMs, ctx.signal);
      } catch (e) {
        failure = e as UpstreamError;
        break;
      }
    }
  }

  // End of the answer, whatever happened: flush reassembly (lone surrogates → U+FFFD, reported) and the filter.
  ended = true;
  reassembler.end(at());
  // The end scans what the last tick brought (a queued tick scan finds nothing left to do).
  unscanned = false;
  feedTick();
  if (!blocked && !scanError) {
    const last = timedStep(() => filter.end());
    if (last) publish(last, true);
  }
  const rawText = reassembler.text();

  if (blocked) failure = new UpstreamError('content_filtered', overBudget ?? `the answer was blocked by the filter policy (${blocked.type})`);
  else if (scanError) failure = scanError;
  const damage = damageOf(reassembler.issues());
  const status = decideTurnStatus({ failure: failure?.kind, blocked: Boolean(blocked), tokenCount, damage });

  let leak = false;
  // (After a failed scan the release stopped short on purpose: that is no leak.)
  if (!blocked && !scanError) {
    const l = leakCheck.end();
    if (l) {
      leak = true;
      emit({ type: 'filter.leak', turnId, at: at(), detail: l.detail, position: l.position });
    }
  }

  const usage = makeUsageEvent({ turnId, at: at(), model: ctx.environment.model.model, prompt: ctx.input, completion, reported });
  if (reported) Object.assign(usage, reportedFrom ? { reportedBy: 'flow', reportedPath: reportedFrom.path } : { reportedBy: 'upstream' });
  if (tokenCount > 0 || reported) emit(usage);

  // Cancelling is the user's own act, not an error: no error event, no fallback (turn.end says cancelled).
  let fallback: string | undefined;
  if (failure && status !== 'cancelled') {
    fallback = fallbackFor(failure.kind, ctx.fallbacks);
    emit(errorEvent(turnId, at(), failure, fallback));
  }

  // Everything the preview still holds is judged before the turn ends, so its events belong to the turn.
  preview?.end(at());
  const durationMs = at();
  // Write-ahead: only a whole answer is written back into the dialog (a partial or damaged one would
  // overwrite a good value with a fragment), and its job is durably in the outbox before anyone hears
  // "complete" — a crash at any moment after this leaves it pending. A job that could not be stored is
  // said so, loudly.
  let sync: Promise<SyncOutcome> | undefined;
  let syncError: string | undefined;
  const stored = TURN_STATUS_INFO[status].whole && ctx.sync ? ctx.sync({ turnId, requestId, filteredText: released, usage: countedUsage(usage), identity: ctx.identity }) : undefined;
  if (stored) {
    try {
      sync = (await stored).outcome;
    } catch (err) {
      syncError = (err as Error)?.message ?? String(err);
    }
  }
  emit({
    type: 'turn.end',
    turnId,
    at: durationMs,
    status,
    ...(failure ? { cause: failure.kind } : {}),
    ...(damage.length ? { damage } : {}),
    rawLength: rawText.length,
    ...(ttftMs !== undefined ? { ttftMs } : {}),
    durationMs,
    tokenCount,
  });

  return {
    turnId,
    requestId,
    status,
    damage,
    ...(failure ? { cause: failure.kind, error: failure.message } : {}),
    rawText,
    filteredText: released,
    usage,
    fallback,
    ttftMs,
    durationMs,
    tokenCount,
    tokenAt,
    hits: [...hitCounts].map(([k, count]) => {
      const [type, action] = k.split('\u0000') as [string, FilterAction];
      return { type, action, count };
    }),
    leak,
    sync,
    ...(syncError ? { syncError } : {}),
    ...(preview && ctx.webchat ? { webchat: { settings: ctx.webchat, bubbles: preview.texts(), warnings: [...preview.warnings()] } } : {}),
  };
}
