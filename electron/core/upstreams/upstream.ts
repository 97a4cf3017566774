// What the session engine needs from an upstream: run one turn, pushing what arrives into a sink.
// Both upstreams (gateway, socket endpoint) implement it, so everything downstream sees one event model.
import type { FrameIssueEvent, TokenOrigin, TokenUsage, UpstreamKind } from '../../../shared/events';

export interface UpstreamSink {
  token(t: { text?: string; bytes?: Uint8Array; origin: TokenOrigin }): void;
  issue(kind: FrameIssueEvent['kind'], detail: string, extra?: { seq?: number; expectedSeq?: number }): void;
  /** `frame`: the output that ended the message (socket endpoint), when one did. */
  messageEnd(messageId?: string, finishReason?: string, frame?: number): void;
  usage(u: TokenUsage): void;
}

export interface TurnRequest {
  requestId: string;
  sessionId: string;
  input: string;
  scenario?: string;
  /** Simulator extension (benchmarks): repeat the answer body N times. Real servers ignore it. */
  repeat?: number;
  signal: AbortSignal;
  /** No frame (data or ping) for this long = timeout. Default 30 s. */
  idleTimeoutMs?: number;
}

export interface Upstream {
  readonly kind: UpstreamKind;
  /** Resolves when the answer is complete; throws an UpstreamError otherwise (what arrived stays in the sink). */
  runTurn(req: TurnRequest, sink: UpstreamSink): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
