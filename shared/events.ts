// The one event model every upstream produces and everything downstream consumes (filters, UI, recordings,
// CLI). Events are plain, serialisable JSON. They must never carry a secret, an access token or an API key.
import { z } from 'zod';
import { FILTER_ACTIONS } from './filter-actions';
import { WebchatFlags, WebchatMode } from './webchat';

export const UPSTREAM_KINDS = ['gateway', 'socket-endpoint'] as const;
export const UpstreamKind = z.enum(UPSTREAM_KINDS);
export type UpstreamKind = z.infer<typeof UpstreamKind>;

/**
 * Typed causes of failure. Fallbacks are chosen from these, never from error text.
 * - auth: credentials rejected (401 / invalid_client); forbidden: a scope is missing (403)
 * - rate_limited: 429 or error code `rate_limited`; try_again_later: close 1013
 * - timeout: no frame within the liveness window, or request timeout
 * - network: socket dropped (1006), connection refused, DNS
 * - policy: close 1008 (token revoked mid-stream)
 * - server_error: close 1011, 5xx, error code `internal`
 * - content_filtered: upstream code `content_filtered` or a `block` action of the local filter
 * - protocol: a peer that does not follow the protocol (malformed frames, wrong handshake)
 * - bad_request: 400 / local validation; not_found: 404; payload_too_large: body limit
 * - cancelled: the user (or an AbortSignal) stopped it
 * - reconnection_limit: the socket endpoint's reconnect loop gave up after its limit of attempts
 * - keychain: a secret was needed but the OS keychain could not be reached (no Secret Service, locked)
 * - internal: anything else
 */
export const CAUSES = [
  'auth',
  'forbidden',
  'rate_limited',
  'try_again_later',
  'timeout',
  'network',
  'policy',
  'server_error',
  'content_filtered',
  'protocol',
  'bad_request',
  'not_found',
  'payload_too_large',
  'cancelled',
  'reconnection_limit',
  'keychain',
  'internal',
] as const;
export const Cause = z.enum(CAUSES);
export type Cause = z.infer<typeof Cause>;

/** A session's id as the IPC channels carry it. */
export const SessionId = z.string().min(1);

export const TokenUsage = z.object({
  prompt: z.number().int().nonnegative(),
  completion: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

// ---- socket endpoint: what an `output` says about itself (issue 12) ----

/**
 * Who produced a socket `output`: the bot, a live agent after a handover, or an engagement (proactive /
 * teaser) message. Kept as the string the server sent, so an unknown source is shown, not guessed.
 */
export const OUTPUT_SOURCES = ['bot', 'agent', 'engagement'] as const;
export type OutputSource = (typeof OUTPUT_SOURCES)[number];

/**
 * The fields every socket `output` carries beside its text and data, kept on each event it produced
 * (its token, its structured output, its message end). Absent on the gateway upstream.
 */
export const OutputMeta = {
  /** `bot`, `agent` or `engagement` (see OUTPUT_SOURCES); whatever the server sent. */
  source: z.string().optional(),
  traceId: z.string().optional(),
  /** The flow asked that this output not be logged in detail (Cognigy's sensitive-logging switch). */
  disableSensitiveLogging: z.boolean().optional(),
};

/** Where a raw token came from on the wire. */
export const TokenOrigin = z.object({
  /** Index of the data frame (gateway) or `output` event (socket endpoint) within the turn, from 0. */
  frame: z.number().int().nonnegative(),
  /** The frame's `seq` when the gateway sent one. */
  seq: z.number().int().nonnegative().optional(),
  /** Socket endpoint: `data._cognigy._messageId` of the chunk. */
  messageId: z.string().optional(),
  /** `binary` when the token came as raw UTF-8 bytes in a binary frame. */
  kind: z.enum(['text', 'binary']),
  ...OutputMeta,
});
export type TokenOrigin = z.infer<typeof TokenOrigin>;

const base = {
  turnId: z.string(),
  /** Milliseconds since the turn started, from a monotonic clock. */
  at: z.number().nonnegative(),
};

export const TurnStartEvent = z.object({
  type: z.literal('turn.start'),
  ...base,
  sessionId: z.string(),
  requestId: z.string(),
  upstream: UpstreamKind,
  environment: z.string(),
  input: z.string(),
  scenario: z.string().optional(),
  /** Wall-clock start, ISO 8601. */
  startedAt: z.string(),
});

/**
 * A raw token as it arrived. Exactly one of `text` (text frames; may end or start with a lone surrogate)
 * or `bytes` (binary frames; base64 of raw UTF-8 that may split a character) is set.
 */
export const TokenEvent = z.object({
  type: z.literal('token'),
  ...base,
  index: z.number().int().nonnegative(),
  text: z.string().optional(),
  bytes: z.string().optional(),
  origin: TokenOrigin,
});

/** Something wrong on the wire that did not end the turn: duplicates, gaps, unparsable frames, bad UTF-8. */
/**
 * - malformed-frame: a frame / socket output that does not have the protocol's shape (no `data`, `data`
 *   not an object, `_messageId` not a string, not JSON); whatever text came before it stays
 * - unknown-message: a `_finishReason` for a `_messageId` this turn never saw open
 * - oversized-output: an output whose structured payload is over the kept size (its JSON is truncated)
 * - connection-lost: the socket endpoint's connection broke during the turn; what the endpoint sent until
 *   it was back is lost (damage: the answer is not whole even if it ends normally after a reconnect)
 */
export const FRAME_ISSUE_KINDS = [
  'duplicate-seq',
  'seq-gap',
  'malformed-frame',
  'invalid-utf8',
  'lone-surrogate',
  'unknown-message',
  'oversized-output',
  'connection-lost',
  'notice',
] as const;
export const FrameIssueEvent = z.object({
  type: z.literal('frame.issue'),
  ...base,
  kind: z.enum(FRAME_ISSUE_KINDS),
  detail: z.string(),
  seq: z.number().int().optional(),
  expectedSeq: z.number().int().optional(),
  /** Position in the reassembled raw text where it happened, when known. */
  position: z.number().int().nonnegative().optional(),
  /** Socket endpoint: index of the offending `output` event within the turn. */
  frame: z.number().int().nonnegative().optional(),
  /** The token it concerns, when there is one (the dropped duplicate, the token whose bytes or half could not be decoded). */
  token: z.number().int().nonnegative().optional(),
  /**
   * The offending output itself, as JSON text (at most MAX_KEPT_JSON characters; `rawTruncated` when cut),
   * so a malformed output is kept for the bug report instead of being dropped. Absent in redacted cassettes.
   */
  raw: z.string().optional(),
  rawTruncated: z.boolean().optional(),
});

/** Socket endpoint: one streamed message ended (`_finishReason` or `finalPing`). Gateway: `done`. */
export const MessageEndEvent = z.object({
  type: z.literal('message.end'),
  ...base,
  messageId: z.string().optional(),
  finishReason: z.string().optional(),
  /** Socket endpoint: index of the `output` that ended it (absent when `finalPing` closed it). */
  frame: z.number().int().nonnegative().optional(),
  /** Socket endpoint: text the closing output carried (it is also in the raw text, as a token). */
  closingText: z.string().optional(),
  ...OutputMeta,
});

/** Longest JSON text kept of one structured output or offending output; larger ones are cut and flagged. */
export const MAX_KEPT_JSON = 64 * 1024;

/**
 * What a socket output carried that is not answer text. Kinds, by where Cognigy puts them:
 * - rich-content: `data._cognigy._default` / `_webchat` / `_facebook` (quick replies, galleries, buttons,
 *   lists, adaptive cards, attachments): Webchat shows them as their own message
 * - webchat-event: `data._cognigy._webchat3` (queue updates, live-agent events, …)
 * - control-command: `data._cognigy.controlCommands` (e.g. `setRating`)
 * - plugin: `data._plugin`
 * - data: any other top-level `data` of the output (a flow's "output data")
 */
export const STRUCTURED_OUTPUT_KINDS = ['rich-content', 'webchat-event', 'control-command', 'plugin', 'data'] as const;
export const StructuredOutputKind = z.enum(STRUCTURED_OUTPUT_KINDS);
export type StructuredOutputKind = z.infer<typeof StructuredOutputKind>;

/** A structured part of a socket output, shown in the lanes at its place in the dialog; never answer text. */
export const StructuredOutputEvent = z.object({
  type: z.literal('output.structured'),
  ...base,
  /** Index of the `output` event within the turn (shared with the tokens and message end it produced). */
  frame: z.number().int().nonnegative(),
  kind: StructuredOutputKind,
  /** Where in the output: `data._cognigy._default`, `data._cognigy.controlCommands`, `data._plugin`, `data.foo`. */
  path: z.string(),
  /** One line for the lanes and the timeline: `quick replies: "Yes" · "No"`, `gallery: 3 cards`, `setRating`. */
  summary: z.string(),
  /** The value at `path` as JSON text, for "show JSON" (cut at MAX_KEPT_JSON; absent when redacted). */
  json: z.string().optional(),
  /** Size of the whole JSON in UTF-8 bytes (also when `json` was cut or removed). */
  bytes: z.number().int().nonnegative(),
  truncated: z.boolean().optional(),
  /** Offset in the raw answer text where it sits: the length of the raw text received before it. */
  position: z.number().int().nonnegative(),
  /** `data._cognigy._messageId` of the output, when it was part of a streamed message. */
  messageId: z.string().optional(),
  /** The same output also had text (that text went into the answer as a token). */
  withText: z.boolean().optional(),
  ...OutputMeta,
});

/**
 * Typing indicator: `server` = the bot's `typingStatus`, `client` = the user's typing state we sent.
 * `afterEnd`: it arrived after the answer had ended (the bot's typingOff may follow its finalPing in a frame
 * of its own). It still belongs to that turn until the next turn starts, also after the turn's `turn.end`.
 */
export const TypingEvent = z.object({
  type: z.literal('typing'),
  ...base,
  from: z.enum(['server', 'client']),
  status: z.enum(['typingOn', 'typingOff']),
  afterEnd: z.literal(true).optional(),
});

/**
 * The socket endpoint connection during a turn (its own reconnect loop, as the official client):
 * - connected: the transport is up (`transport` says which); ready: `endpoint-ready` arrived (`readyMs`
 *   after the connect attempt); ready-timeout: none came within the bounded wait (servers before 4.79)
 * - disconnected: it broke (`reason` from Socket.IO; `position`/`openMessages` where the answer broke)
 * - reconnecting: attempt `attempt` of `limit` (0 = no limit) starts; gave-up: the limit was reached
 * - input-buffered: the input waits for a connected, ready endpoint; input-sent: it went out (`buffered`
 *   inputs in order, `waitedMs` after it was given)
 */
export const CONNECTION_STATES = ['connected', 'ready', 'ready-timeout', 'disconnected', 'reconnecting', 'gave-up', 'input-buffered', 'input-sent'] as const;
export const ConnectionState = z.enum(CONNECTION_STATES);
export type ConnectionState = z.infer<typeof ConnectionState>;
export const SOCKET_TRANSPORTS = ['websocket', 'polling'] as const;
export const SocketTransport = z.enum(SOCKET_TRANSPORTS);
export type SocketTransport = z.infer<typeof SocketTransport>;

export const ConnectionEvent = z.object({
  type: z.literal('connection'),
  ...base,
  state: ConnectionState,
  attempt: z.number().int().positive().optional(),
  limit: z.number().int().nonnegative().optional(),
  reason: z.string().optional(),
  transport: SocketTransport.optional(),
  position: z.number().int().nonnegative().optional(),
  openMessages: z.array(z.string()).optional(),
  readyMs: z.number().nonnegative().optional(),
  waitedMs: z.number().nonnegative().optional(),
  buffered: z.number().int().nonnegative().optional(),
});

export const UsageEvent = z.object({
  type: z.literal('usage'),
  ...base,
  /** What the upstream reported, if it did. */
  reported: TokenUsage.optional(),
  /** Always computed with a real tokenizer. */
  estimated: TokenUsage,
  encoding: z.string(),
  /** |reported.total − estimated.total| / reported.total, when both exist. */
  drift: z.number().optional(),
  /** The same per part, when both exist (a prompt drift can hide in a total that agrees). */
  driftByPart: z.object({ prompt: z.number(), completion: z.number(), total: z.number() }).optional(),
  /** Some part drifts over 10 % (shared/usage-drift.ts). */
  driftFlagged: z.boolean(),
  /** Which of the two the session counts: reported when present, else estimated. */
  source: z.enum(['reported', 'estimated']),
  /** Where the reported usage came from: `upstream` (gateway done frame) or `flow` (a socket output at the environment's usage path). */
  reportedBy: z.enum(['upstream', 'flow']).optional(),
  /** `flow`: the JSON path it was read at, e.g. `data.usage`. */
  reportedPath: z.string().optional(),
});

export const ErrorEvent = z.object({
  type: z.literal('error'),
  ...base,
  cause: Cause,
  message: z.string(),
  /** HTTP status or WebSocket close code, when there was one. */
  status: z.number().int().optional(),
  closeCode: z.number().int().optional(),
  retryAfterMs: z.number().nonnegative().optional(),
  /** The message the end user would see instead of the answer (a setting, chosen by cause). */
  fallback: z.string(),
  /** Set when the turn will be retried (e.g. a 429 before any token): which attempt failed, of how many. */
  retry: z.object({ attempt: z.number().int().positive(), of: z.number().int().positive(), inMs: z.number().nonnegative() }).optional(),
});

/**
 * What a received answer lacks, by the frame issue that showed it: frames that never arrived (a `seq` gap)
 * and content that could not be decoded (invalid UTF-8, a surrogate half never completed; each shown as
 * U+FFFD). Duplicates (dropped) and malformed frames that did not cost a `seq` are not damage. A new way of
 * losing part of an answer (e.g. messages missed across a reconnect) is a new kind here: every face reads
 * the status from it (see shared/turn-status.ts).
 */
export const DAMAGE_KINDS = ['seq-gap', 'invalid-utf8', 'lone-surrogate', 'connection-lost'] as const satisfies ReadonlyArray<(typeof FRAME_ISSUE_KINDS)[number]>;
export const DamageKind = z.enum(DAMAGE_KINDS);
export type DamageKind = z.infer<typeof DamageKind>;
export const TurnDamage = z.object({
  kind: DamageKind,
  /** How many times it happened in this turn. */
  count: z.number().int().positive(),
  /** Raw-text offset of the first one. */
  firstPosition: z.number().int().nonnegative(),
});
export type TurnDamage = z.infer<typeof TurnDamage>;

/**
 * How a turn ended; one model for the lanes, the CLI (exit codes), the relay's `done`, cassettes and JUnit.
 * - complete: the upstream ended the answer and every part of it arrived intact (the only whole answer)
 * - damaged: the upstream ended the answer, but parts of it are missing or undecodable (`damage` says what)
 * - partial: the stream broke off (error) after part of the answer arrived
 * - failed: it broke off before any of it arrived
 * - cancelled: the user stopped it
 * - blocked: the local filter policy stopped it (the end user gets the released text, then the fallback)
 * `damage` is reported whatever the status (a partial answer may have a gap too).
 */
export const TURN_STATUSES = ['complete', 'damaged', 'partial', 'failed', 'cancelled', 'blocked'] as const;
export const TurnStatus = z.enum(TURN_STATUSES);
export type TurnStatus = z.infer<typeof TurnStatus>;
export const TurnEndEvent = z.object({
  type: z.literal('turn.end'),
  ...base,
  status: TurnStatus,
  cause: Cause.optional(),
  /** Present (non-empty) when part of the answer never arrived or could not be decoded. */
  damage: z.array(TurnDamage).optional(),
  /** Characters of raw text received (UTF-16 code units). */
  rawLength: z.number().int().nonnegative(),
  /** Time to first token in ms, when any token arrived. */
  ttftMs: z.number().nonnegative().optional(),
  durationMs: z.number().nonnegative(),
  tokenCount: z.number().int().nonnegative(),
});

export const SYNC_STATES = ['queued', 'sending', 'retrying', 'synced', 'failed'] as const;
export const SyncEvent = z.object({
  type: z.literal('sync'),
  ...base,
  syncId: z.string(),
  target: z.enum(['gateway-variables', 'context-inject']),
  state: z.enum(SYNC_STATES),
  attempt: z.number().int().nonnegative(),
  /** retrying: when the next try happens (epoch ms) and why. */
  nextAttemptAt: z.number().optional(),
  cause: Cause.optional(),
  detail: z.string().optional(),
});

// ---- filtered side (issue: reassembly and filters) ----

export { FILTER_ACTIONS };
export const FilterAction = z.enum(FILTER_ACTIONS);
export type FilterAction = z.infer<typeof FilterAction>;

/** A detection, by position only: the detected value itself is never put in an event. */
export const FilterHit = z.object({
  type: z.string(),
  action: FilterAction,
  /** Range in the raw reassembled text (UTF-16 code units). */
  rawStart: z.number().int().nonnegative(),
  rawEnd: z.number().int().nonnegative(),
  /** Range of the replacement in the filtered text. */
  outStart: z.number().int().nonnegative(),
  outEnd: z.number().int().nonnegative(),
});
export type FilterHit = z.infer<typeof FilterHit>;

/**
 * Reassembled raw text grew: `text` is appended at `start` (complete code points only). It also says what
 * reassembly did to make it, so every face shows the engine's facts and never re-derives them from the tokens.
 */
export const RawTextEvent = z.object({
  type: z.literal('raw.text'),
  ...base,
  start: z.number().int().nonnegative(),
  text: z.string(),
  /**
   * The token whose arrival released this text. A token that released none (empty, or only the first half
   * of a character split across tokens) is named by the text that completed it, in `joinedFrom`.
   */
  token: z.number().int().nonnegative(),
  /**
   * The first character was joined from a half that began in token `joinedFrom`: `surrogate` (a UTF-16 pair
   * split across text tokens) or `utf8-split` (a UTF-8 sequence split across binary frames).
   */
  joined: z.enum(['surrogate', 'utf8-split']).optional(),
  joinedFrom: z.number().int().nonnegative().optional(),
  /** Binary tokens: the bytes decoded into this text, as a range of the turn's binary byte stream (all binary frames joined). */
  byteStart: z.number().int().nonnegative().optional(),
  byteEnd: z.number().int().nonnegative().optional(),
  /** Inserted by reassembly between two socket-endpoint messages (never sent by the upstream); `token` opened the new message. */
  separator: z.literal(true).optional(),
});

/** The filter released text for the end user. */
export const FilteredTextEvent = z.object({
  type: z.literal('filtered.text'),
  ...base,
  /** Offset in the filtered text. */
  start: z.number().int().nonnegative(),
  text: z.string(),
  hits: z.array(FilterHit),
  /** Raw characters held back after this release, and why (the detector types still pending). */
  holdback: z.number().int().nonnegative(),
  holdbackReason: z.array(z.string()),
});

export const LeakEvent = z.object({
  type: z.literal('filter.leak'),
  ...base,
  detail: z.string(),
  /** Filtered-text offset where the streamed output first differs from the whole-text output. */
  position: z.number().int().nonnegative(),
});

// ---- Webchat preview (issue 12 §3): what Webchat v3 would show of the filtered stream ----

/** Which flags the turn's preview used and where they came from. */
export const WebchatSettingsEvent = z.object({
  type: z.literal('webchat.settings'),
  ...base,
  mode: WebchatMode,
  flags: WebchatFlags,
  /** `preset`: chosen; `endpoint`: read from the endpoint's settings request; `default`: that request failed, Webchat's defaults. */
  from: z.enum(['preset', 'endpoint', 'default']),
  detail: z.string().optional(),
});

export const WEBCHAT_BUBBLE_KINDS = ['text', 'rich', 'plugin'] as const;
/**
 * The preview changed: bubble `bubble` (its index in the turn, from 0) was opened with `text`, got `text`
 * appended, or was marked finished. `frame` is the output it came from.
 */
export const WebchatBubbleEvent = z.object({
  type: z.literal('webchat.bubble'),
  ...base,
  bubble: z.number().int().nonnegative(),
  op: z.enum(['open', 'append', 'finish']),
  kind: z.enum(WEBCHAT_BUBBLE_KINDS),
  /** The output's `source` (bot, agent, engagement). */
  source: z.string(),
  messageId: z.string().optional(),
  frame: z.number().int().nonnegative(),
  /** Filtered text: the bubble's first text (open) or the text added (append); empty for finish and rich content. */
  text: z.string(),
  /** Rich content and plugins: a one-line summary. */
  summary: z.string().optional(),
});

/**
 * Where Webchat would show something other than the answer text:
 * - closing-text-dropped: with collation, the text of a chunk carrying `_finishReason` is not appended;
 * - chunk-discarded: a chunk whose text is only whitespace starts no bubble and is dropped;
 * - rich-dropped: rich content that carries a `_messageId` is not shown while a streaming flag is on;
 * - split-bubbles: one streamed message is shown as several bubbles because collation is off.
 */
export const WEBCHAT_WARNING_KINDS = ['closing-text-dropped', 'chunk-discarded', 'rich-dropped', 'split-bubbles'] as const;
export const WebchatWarningKind = z.enum(WEBCHAT_WARNING_KINDS);
export type WebchatWarningKind = z.infer<typeof WebchatWarningKind>;
export const WebchatWarningEvent = z.object({
  type: z.literal('webchat.warning'),
  ...base,
  kind: WebchatWarningKind,
  /** One sentence: what the end user sees differently, where, and which rule causes it. */
  detail: z.string(),
  /** The outputs concerned (indices as TokenOrigin.frame). */
  frames: z.array(z.number().int().nonnegative()),
  messageId: z.string().optional(),
  /** The bubble concerned, when there is one. */
  bubble: z.number().int().nonnegative().optional(),
  /** Lost kinds: the filtered text Webchat would not show, and where it is in the filtered answer. */
  text: z.string().optional(),
  start: z.number().int().nonnegative().optional(),
  end: z.number().int().nonnegative().optional(),
  /** split-bubbles: how many bubbles the message becomes. */
  bubbles: z.number().int().positive().optional(),
});

/**
 * Every event but turn.start and token, whose cassette forms differ (cassette-schema.ts): one list, so a new
 * event kind is recordable the moment it exists.
 */
export const EVENTS_RECORDED_AS_IS = [
  FrameIssueEvent,
  MessageEndEvent,
  UsageEvent,
  ErrorEvent,
  TurnEndEvent,
  SyncEvent,
  RawTextEvent,
  FilteredTextEvent,
  LeakEvent,
  WebchatSettingsEvent,
  WebchatBubbleEvent,
  WebchatWarningEvent,
  StructuredOutputEvent,
  TypingEvent,
  ConnectionEvent,
] as const;

export const SessionEvent = z.discriminatedUnion('type', [TurnStartEvent, TokenEvent, ...EVENTS_RECORDED_AS_IS]);
export type SessionEvent = z.infer<typeof SessionEvent>;
export type SessionEventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;
export type TurnStartEvent = z.infer<typeof TurnStartEvent>;
export type TokenEvent = z.infer<typeof TokenEvent>;
export type FrameIssueEvent = z.infer<typeof FrameIssueEvent>;
export type MessageEndEvent = z.infer<typeof MessageEndEvent>;
export type UsageEvent = z.infer<typeof UsageEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type TurnEndEvent = z.infer<typeof TurnEndEvent>;
export type SyncEvent = z.infer<typeof SyncEvent>;
export type RawTextEvent = z.infer<typeof RawTextEvent>;
export type FilteredTextEvent = z.infer<typeof FilteredTextEvent>;
export type LeakEvent = z.infer<typeof LeakEvent>;
export type WebchatSettingsEvent = z.infer<typeof WebchatSettingsEvent>;
export type WebchatBubbleEvent = z.infer<typeof WebchatBubbleEvent>;
export type WebchatWarningEvent = z.infer<typeof WebchatWarningEvent>;
export type StructuredOutputEvent = z.infer<typeof StructuredOutputEvent>;
export type TypingEvent = z.infer<typeof TypingEvent>;
export type ConnectionEvent = z.infer<typeof ConnectionEvent>;
