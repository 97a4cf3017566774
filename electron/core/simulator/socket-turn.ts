// One turn of the simulated Socket Endpoint: plays the answer plan (the same one the gateway plays) as
// `output` chunks cut by Cognigy's stream buffer (flush characters and flush overrides), with one
// `_messageId`, `_finishReason` on the closing chunk, then `finalPing`; plus what each socket scenario adds
// (see scenarios.ts): rich content, control commands, agent outputs, typing, a reconnect, bad outputs.
// It emits through a SessionLink, so after a reconnect the rest of the answer goes to the session's new
// socket. Must never emit for a turn after its stall/drop, and never reorder or duplicate text except where
// the scenario says so (duplicate-seq).
import { randomUUID } from 'node:crypto';
import type { ScenarioName } from '../../../shared/scenarios';
import type { AnswerPlan } from './answers';
import type { SimContext } from './context';
import { createOutputChunker } from './output-chunker';
import { createPacer } from './pacing';
import {
  AGENT_LINES,
  FLOOD_OUTPUTS,
  gallery,
  liveAgentJoined,
  malformedOutputs,
  output,
  queueUpdate,
  quickReplies,
  setRatingCommand,
  storedResult,
} from './socket-outputs';

/** The session a turn talks to; its socket changes when the client reconnects. */
export interface SessionLink {
  emit(event: 'output' | 'finalPing', payload: unknown): void;
  typing(status: 'typingOn' | 'typingOff'): void;
  exception(payload: unknown): void;
  /** The session has a connected socket now. */
  connected(): boolean;
  /** Aborted when the session's current socket goes away or the simulator closes. */
  signal(): AbortSignal;
  /** Server-side disconnect (the client sees "io server disconnect"). */
  disconnect(): void;
  /** Closes the transport without a disconnect packet (the client sees "transport close"). */
  terminate(): void;
  /** Disconnects, then waits (bounded) until the same session is connected and ready again. */
  disconnectAndAwaitReconnect(): Promise<boolean>;
}

export async function playSocketTurn(ctx: SimContext, link: SessionLink, plan: AnswerPlan, scenario: ScenarioName): Promise<void> {
  const messageId = randomUUID();
  const traceId = randomUUID();
  const chunker = createOutputChunker(ctx.config.flushOverrides);
  const utf8 = new TextDecoder('utf-8');
  const pacer = createPacer(ctx.config.speed);
  const seen = new Set<number>();
  let last: unknown;
  let chunks = 0;
  let skipNext = false;
  const finish = () => {
    link.emit('finalPing', { type: 'regular' });
    link.typing('typingOff');
  };
  const chunk = (text: string, finishReason?: string) => {
    last = output(text, { _cognigy: { _messageId: messageId, ...(finishReason ? { _finishReason: finishReason } : {}) } }, traceId);
    link.emit('output', last);
    chunks++;
  };
  // What a scenario does after the n-th text chunk (before `after` runs the chunk is already out).
  const afterChunk = async (): Promise<boolean> => {
    if (scenario === 'rich-content' && chunks === 2) link.emit('output', output('', quickReplies(), traceId));
    if (scenario === 'rich-content' && chunks === 4) link.emit('output', output('', gallery(), traceId));
    if (scenario === 'typing' && chunks === 2) {
      // A pause mid-answer: the bot stops typing, thinks, and types again.
      link.typing('typingOff');
      if (!(await pacer.wait(300, link.signal()))) return false;
      link.typing('typingOn');
    }
    if (scenario === 'malformed-outputs' && chunks === 2) for (const m of malformedOutputs(messageId, traceId)) link.emit('output', m.payload);
    if (scenario === 'reconnect' && chunks === 3) {
      if (!(await link.disconnectAndAwaitReconnect())) return false;
      // The flow kept running while the socket was gone: the chunk it produced meanwhile is lost.
      skipNext = true;
    }
    return true;
  };
  const feed = async (t: string): Promise<boolean> => {
    for (const c of chunker.feed(t)) {
      if (skipNext) {
        skipNext = false;
        ctx.stats.socketOutputsLost++;
        continue;
      }
      chunk(c);
      if (!(await afterChunk())) return false;
    }
    return true;
  };

  if (scenario === 'empty-first-chunk') chunk('');
  if (scenario === 'output-flood') return flood(link, messageId, traceId, finish);

  for (const step of plan.steps) {
    if (!(await pacer.wait(step.delayMs, link.signal()))) return;
    if (!link.connected()) return;
    switch (step.kind) {
      case 'tokens':
        if (seen.has(step.seq)) {
          // Re-delivery of an event, as event buffering re-sends one whose ack it missed.
          if (last) link.emit('output', last);
          break;
        }
        seen.add(step.seq);
        for (const t of step.tokens) if (!(await feed(t))) return;
        break;
      case 'bytes':
        if (!(await feed(utf8.decode(step.bytes, { stream: true })))) return;
        break;
      case 'garbage':
        link.emit('output', step.text);
        break;
      case 'done': {
        if (scenario === 'closing-text') {
          // The last words travel on the closing chunk itself, not flushed before it.
          chunk(chunker.end() + step.tokens.join('') + utf8.decode(), 'stop');
        } else {
          for (const t of step.tokens) if (!(await feed(t))) return;
          if (!(await feed(utf8.decode()))) return;
          chunk(chunker.end(), 'stop');
        }
        await epilogue(link, scenario, plan, traceId, pacer);
        return finish();
      }
      case 'error':
        link.emit('output', { type: 'error', data: { error: { message: step.error, code: step.code, ...(step.retryAfter !== undefined ? { retryAfter: step.retryAfter } : {}) } } });
        break;
      case 'close':
        if (step.code === 1008) {
          link.exception({ message: step.reason, code: 'token_revoked' });
          link.disconnect();
          return;
        }
        return finish();
      case 'terminate':
        link.terminate();
        return;
      case 'stall':
        ctx.stats.stalls++;
        return;
    }
  }
}

/** What comes after the streamed message, per scenario. */
async function epilogue(link: SessionLink, scenario: ScenarioName, plan: AnswerPlan, traceId: string, pacer: ReturnType<typeof createPacer>): Promise<void> {
  switch (scenario) {
    case 'control-command':
      link.emit('output', output('', setRatingCommand(), traceId));
      return;
    case 'flow-usage':
      link.emit('output', output('', storedResult(plan.usage), traceId));
      return;
    case 'handover':
      link.emit('output', output('', queueUpdate(1), traceId));
      link.emit('output', output('', liveAgentJoined('Sam'), traceId));
      for (const text of AGENT_LINES) {
        if (!(await pacer.wait(200, link.signal()))) return;
        link.emit('output', output(text, null, randomUUID(), 'agent'));
      }
      return;
    default:
      return;
  }
}

/** FLOOD_OUTPUTS one-word chunks of one message back to back, then the closing chunk and finalPing. */
function flood(link: SessionLink, messageId: string, traceId: string, finish: () => void): void {
  for (let i = 0; i < FLOOD_OUTPUTS; i++) {
    if (!link.connected()) return;
    link.emit('output', output(`w${i} `, { _cognigy: { _messageId: messageId } }, traceId));
  }
  link.emit('output', output('', { _cognigy: { _messageId: messageId, _finishReason: 'stop' } }, traceId));
  finish();
}
