// What the session engine needs from an upstream: run one turn, pushing what arrives into a sink.
// Both upstreams (gateway, socket endpoint) implement it, so everything downstream sees one event model.
import type { ConnectionEvent, FrameIssueEvent, StructuredOutputEvent, TokenOrigin, TokenUsage, TypingEvent, UpstreamKind } from '../../../shared/events';

/** What a socket output said about itself (absent on the gateway). */
export interface OutputMetaFields {
  source?: string;
  traceId?: string;
  disableSensitiveLogging?: boolean;
}

type Payload<E> = Omit<E, 'type' | 'turnId' | 'at'>;

export interface UpstreamSink {
  token(t: { text?: string; bytes?: Uint8Array; origin: TokenOrigin }): void;
  issue(kind: FrameIssueEvent['kind'], detail: string, extra?: { seq?: number; expectedSeq?: number; frame?: number; raw?: string; rawTruncated?: boolean }): void;
  messageEnd(messageId?: string, finishReason?: string, extra?: { frame?: number; closingText?: string } & OutputMetaFields): void;
  /** Reported usage: from the upstream itself (gateway), or a flow's stored usage found at the environment's path. */
  usage(u: TokenUsage, from?: { by: 'flow'; path: string }): void;
  /** Socket endpoint: a structured part of an output (rich content, command, event, plugin, data); the sink adds where it sits. */
  structured(p: Omit<Payload<StructuredOutputEvent>, 'position'>): void;
  /**
   * Also after the answer has ended (`afterEnd`: a typing state that follows finalPing): the turn's until the
   * next one starts.
   */
  typing(from: TypingEvent['from'], status: TypingEvent['status'], afterEnd?: boolean): void;
  /** Socket endpoint: connection life during the turn; the sink adds the raw-text position. */
  connection(e: Omit<Payload<ConnectionEvent>, 'position'>): void;
}

export interface TurnRequest {
  requestId: string;
  sessionId: string;
  input: string;
  scenario?: string;
  /** Simulator extension (benchmarks): repeat the answer body N times. Real servers ignore it. */
  repeat?: number;
  /** Socket endpoint: send the user's typing state (typingOn, then typingOff as the input goes out), as Webchat does. */
  userTyping?: boolean;
  signal: AbortSignal;
  /** No frame (data or ping) for this long = timeout. Default 30 s. */
  idleTimeoutMs?: number;
}

export interface Upstream {
  readonly kind: UpstreamKind;
  /** Resolves when the answer is complete; throws an UpstreamError otherwise (what arrived stays in the sink). */
  runTurn(req: TurnRequest, sink: UpstreamSink): Promise<void>;
  /** Socket endpoint: send the user's typing state (true when it went out: connected and ready). */
  sendTyping?(status: 'typingOn' | 'typingOff'): boolean;
  close(): Promise<void>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
