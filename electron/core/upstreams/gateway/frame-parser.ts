// Parses the gateway's stream frames: a feed/end state machine with no I/O (eventsource-parser style).
// JSON text frames carry tokens/done/usage/error/seq (unknown fields ignored); binary frames carry raw
// UTF-8 token bytes. Duplicate `seq` frames are dropped, gaps and malformed frames are reported and the
// stream goes on: nothing that arrived is lost.
import type { TokenUsage } from '../../../../shared/events';
import { parseReportedUsage } from '../../usage/usage-event';

export interface ParsedToken {
  text?: string;
  bytes?: Uint8Array;
  frame: number;
  seq?: number;
  kind: 'text' | 'binary';
}

export interface StreamErrorFrame {
  message: string;
  code?: string;
  retryAfterMs?: number;
}

export interface FrameIssue {
  kind: 'duplicate-seq' | 'seq-gap' | 'malformed-frame' | 'notice';
  detail: string;
  seq?: number;
  expectedSeq?: number;
}

export interface FrameParserCallbacks {
  onToken(token: ParsedToken): void;
  onDone(usage: TokenUsage | undefined): void;
  onError(error: StreamErrorFrame): void;
  onIssue(issue: FrameIssue): void;
}

export interface FrameParser {
  feed(data: string | Uint8Array, isBinary: boolean): void;
  /** True once a `done: true` frame arrived. */
  readonly done: boolean;
}

const MAX_PREVIEW = 80;

function preview(text: string): string {
  return JSON.stringify(text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text);
}

export function createFrameParser(cb: FrameParserCallbacks): FrameParser {
  let frame = 0;
  let done = false;
  let expectedSeq = 0;
  const seen = new Set<number>();
  let pendingUsage: TokenUsage | undefined;
  const utf8 = new TextDecoder('utf-8', { fatal: false });

  function feedText(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      cb.onIssue({ kind: 'malformed-frame', detail: `frame ${frame}: not JSON: ${preview(text)}` });
      return;
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
      cb.onIssue({ kind: 'malformed-frame', detail: `frame ${frame}: not a JSON object: ${preview(text)}` });
      return;
    }
    const m = msg as Record<string, unknown>;
    let seq: number | undefined;
    if (m.seq !== undefined) {
      if (typeof m.seq !== 'number' || !Number.isInteger(m.seq) || m.seq < 0) {
        cb.onIssue({ kind: 'malformed-frame', detail: `frame ${frame}: seq is not a non-negative integer: ${preview(JSON.stringify(m.seq) ?? '')}` });
      } else {
        seq = m.seq;
        if (seen.has(seq)) {
          cb.onIssue({ kind: 'duplicate-seq', detail: `frame ${frame}: seq ${seq} already received; dropped`, seq });
          return;
        }
        if (seq > expectedSeq) {
          cb.onIssue({
            kind: 'seq-gap',
            detail: `frame ${frame}: seq ${seq} arrived but ${seq - expectedSeq === 1 ? `seq ${expectedSeq} is` : `seq ${expectedSeq}–${seq - 1} are`} missing`,
            seq,
            expectedSeq,
          });
        }
        seen.add(seq);
        expectedSeq = Math.max(expectedSeq, seq + 1);
      }
    }
    if (m.tokens !== undefined) {
      if (!Array.isArray(m.tokens) || m.tokens.some((t) => typeof t !== 'string')) {
        cb.onIssue({ kind: 'malformed-frame', detail: `frame ${frame}: "tokens" is not an array of strings` });
      } else {
        if (done && m.tokens.length) cb.onIssue({ kind: 'notice', detail: `frame ${frame}: tokens after done` });
        for (const t of m.tokens as string[]) cb.onToken({ text: t, frame, seq, kind: 'text' });
      }
    }
    if (m.error !== undefined) {
      const retry = typeof m.retry_after === 'number' && m.retry_after >= 0 ? m.retry_after * 1000 : undefined;
      cb.onError({
        message: typeof m.error === 'string' ? m.error : JSON.stringify(m.error),
        code: typeof m.code === 'string' ? m.code : undefined,
        retryAfterMs: retry,
      });
    }
    let usage: TokenUsage | undefined;
    try {
      usage = parseReportedUsage(m.usage);
    } catch (err) {
      cb.onIssue({ kind: 'malformed-frame', detail: `frame ${frame}: ${(err as Error).message}; usage ignored (it will be estimated)` });
    }
    if (m.done === true && !done) {
      done = true;
      cb.onDone(usage ?? pendingUsage);
    } else if (usage && !done) {
      // Usage on a frame of its own before done: keep it for the done frame.
      pendingUsage = usage;
    }
  }

  return {
    feed(data, isBinary) {
      if (isBinary) {
        const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
        cb.onToken({ bytes, frame, kind: 'binary' });
      } else {
        feedText(typeof data === 'string' ? data : utf8.decode(data));
      }
      frame++;
    },
    get done() {
      return done;
    },
  };
}
