// The typed IPC contract: one map from channel to zod schemas, the single source of truth for Electron's
// main/preload/renderer and for the browser-mode WebSocket bridge. Direction shows in the name:
// `renderer:*` the renderer invokes (request → response), `main:*` main pushes.
// A secret can travel renderer → main only (env.setSecret); no response or push schema has a field that could
// hold one. Both sides parse with these schemas: the caller before sending, the handler before acting.
import { z } from 'zod';
import { Environment, EnvName, SecretKind, SecretStatus } from './environment';
import { Cause, SessionId, UpstreamKind } from './events';
import { BatchEvent } from './session-batch';
import { recordingChannels } from './recordings-ipc';
import { ScenarioName } from './scenarios';
import { WebchatMode } from './webchat';
import { FallbackMessages } from './settings';
import { tapChannels, tapPushChannels } from './tap-ipc';
import { qaChannels, qaPushChannels } from './qa-ipc';

export const KeychainInfo = z.object({
  available: z.boolean(),
  /** 'keychain' normally; 'env-fallback' when the user opted into the marked fallback. */
  store: z.enum(['keychain', 'env-fallback', 'memory']),
  reason: z.string().optional(),
  fix: z.string().optional(),
});
export type KeychainInfo = z.infer<typeof KeychainInfo>;

export const EnvironmentEntry = z.object({
  environment: Environment,
  builtIn: z.boolean(),
  /** A readable name for pickers, e.g. "Demo (built-in simulator)". */
  label: z.string(),
  secrets: SecretStatus,
});
export type EnvironmentEntry = z.infer<typeof EnvironmentEntry>;

export const ConnectionReport = z.object({
  ok: z.boolean(),
  upstream: UpstreamKind,
  lines: z.array(z.string()),
  tokenExpiresAt: z.number().optional(),
  grantedScopes: z.array(z.string()).optional(),
  missingScopes: z.array(z.string()).optional(),
  endpointReady: z.boolean().optional(),
  cause: Cause.optional(),
  error: z.string().optional(),
});
export type ConnectionReport = z.infer<typeof ConnectionReport>;

export const Settings = z.object({
  /** What the end user sees instead of an answer, by typed cause (shared/settings.ts). */
  fallbacks: FallbackMessages,
  /** Inter-token gap above which the timing view flags a stall, ms. */
  stallThresholdMs: z.number().int().positive(),
  showTokenBoundaries: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

/** Menu commands main forwards to the renderer (Electron's application menu). */
export const UI_COMMANDS = ['view.session', 'view.environments', 'toggle.tokenBoundaries', 'turn.cancel', 'focus.composer'] as const;
export type UiCommand = (typeof UI_COMMANDS)[number];

const ok = z.object({ ok: z.literal(true) });

/** renderer → main: request and response schemas per channel. */
export const invokeChannels = {
  'renderer:app.info': {
    request: z.object({}),
    response: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      dataDir: z.string(),
      keychain: KeychainInfo,
    }),
  },
  'renderer:env.list': {
    request: z.object({}),
    response: z.object({ environments: z.array(EnvironmentEntry) }),
  },
  'renderer:env.save': {
    /** previousName set = edit of an existing environment (a rename moves its secrets along). */
    request: z.object({ environment: Environment, previousName: EnvName.optional() }),
    response: z.object({ entry: EnvironmentEntry }),
  },
  'renderer:env.duplicate': {
    /** Copies settings and secrets main-side: the secrets never pass through the renderer. */
    request: z.object({ name: EnvName, newName: EnvName }),
    /** notice: the settings were copied but a secret could not be (the keychain cannot be reached). */
    response: z.object({ entry: EnvironmentEntry, notice: z.string().optional() }),
  },
  'renderer:env.delete': {
    /**
     * Removes the environment and its secrets. Fails with `keychain-unavailable` when a secret it has
     * cannot be removed; `keepSecrets` (the CLI's --keep-secrets) then removes only the settings.
     */
    request: z.object({ name: EnvName, keepSecrets: z.boolean().optional() }),
    /** secretsKept: the secrets known to stay in the keychain under this name. */
    response: z.object({ ok: z.literal(true), secretsKept: z.array(SecretKind) }),
  },
  'renderer:env.setSecret': {
    /** Write-only: the value goes to the keychain; nothing ever reads it back to the renderer. */
    request: z.object({ name: EnvName, kind: SecretKind, value: z.string().min(1, 'the secret is empty') }),
    response: z.object({ secrets: SecretStatus }),
  },
  'renderer:env.clearSecret': {
    request: z.object({ name: EnvName, kind: SecretKind }),
    response: z.object({ secrets: SecretStatus }),
  },
  'renderer:env.test': {
    request: z.object({ name: EnvName }),
    response: ConnectionReport,
  },
  'renderer:session.open': {
    /** One session per window (or bridge client): opening one closes the previous. */
    request: z.object({ environment: EnvName }),
    response: z.object({ sessionId: SessionId, environment: z.string(), upstream: UpstreamKind }),
  },
  'renderer:session.close': {
    request: z.object({ sessionId: SessionId }),
    response: ok,
  },
  'renderer:turn.start': {
    /** Resolves as soon as the turn has started; its events follow on `main:session.events`. */
    request: z.object({
      sessionId: SessionId,
      input: z.string().min(1, 'the message is empty'),
      scenario: ScenarioName.optional(),
      /** Preview the turn in Webchat (Socket Endpoint sessions); absent = no preview. */
      webchat: WebchatMode.optional(),
      /** Socket Endpoint: send the user's typing state with the input, as Webchat does (the CLI's `--typing`). */
      userTyping: z.boolean().optional(),
    }),
    response: z.object({ turnId: z.string() }),
  },
  'renderer:turn.cancel': {
    request: z.object({ sessionId: SessionId }),
    response: ok,
  },
  'renderer:sync.retry': {
    request: z.object({ sessionId: SessionId, syncId: z.string().min(1) }),
    response: ok,
  },
  'renderer:settings.get': {
    request: z.object({}),
    response: Settings,
  },
  'renderer:settings.set': {
    request: Settings,
    response: Settings,
  },
  /** Recordings, their diff and the SSE relay (shared/recordings-ipc.ts). */
  ...recordingChannels,
  /** The tap in front of a Socket Endpoint (shared/tap-ipc.ts). */
  ...tapChannels,
  /** Dialog scripts, replay runs, assertions and compare (shared/qa-ipc.ts). */
  ...qaChannels,
} as const;

/** main → renderer pushes. */
export const pushChannels = {
  /**
   * A batch of a session's events, in order, coalesced at most every 16 ms. `batch` counts from 0 per session.
   * A token and the raw text it released travel as one `token+raw` (shared/session-batch.ts).
   */
  'main:session.events': z.object({ sessionId: SessionId, batch: z.number().int().nonnegative(), events: z.array(BatchEvent) }),
  /** The outbox: syncs still to go through, and syncs the server refused for good (kept until retried). */
  'main:sync.outbox': z.object({ sessionId: SessionId, pending: z.number().int().nonnegative(), failed: z.number().int().nonnegative() }),
  /** Electron only: a menu item the renderer carries out. */
  'main:ui.command': z.object({ command: z.enum(UI_COMMANDS) }),
  ...tapPushChannels,
  ...qaPushChannels,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type PushChannel = keyof typeof pushChannels;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['response']>;
export type PushPayload<C extends PushChannel> = z.infer<(typeof pushChannels)[C]>;

export const INVOKE_CHANNELS = Object.keys(invokeChannels) as InvokeChannel[];

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, channel);
}
export function isPushChannel(channel: unknown): channel is PushChannel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(pushChannels, channel);
}

/** The API the preload exposes (and the browser bridge client implements): same shape, same types. */
export interface DebuggerApi {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void;
}

/** Errors cross the boundary as data, never as stack traces. */
export const IPC_ERROR_CODES = ['invalid-request', 'invalid-sender', 'not-found', 'conflict', 'keychain-unavailable', 'failed'] as const;
export const IpcError = z.object({ code: z.enum(IPC_ERROR_CODES), message: z.string() });
export type IpcError = z.infer<typeof IpcError>;
export type IpcErrorCode = IpcError['code'];

/** What a handler returns over a transport: exactly one of response or error. */
export type IpcResult = { ok: true; response: unknown } | { ok: false; error: IpcError };
export const IpcResultSchema = z.union([
  z.object({ ok: z.literal(true), response: z.unknown() }),
  z.object({ ok: z.literal(false), error: IpcError }),
]);

/**
 * Promise rejections lose custom fields across Electron's contextBridge, so both transports reject with an
 * Error whose message is `[code] message`; `toIpcError` reads it back.
 */
export function ipcErrorMessage(e: IpcError): string {
  return `[${e.code}] ${e.message}`;
}
export function toIpcError(err: unknown): IpcError {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^\[([a-z-]+)\] ([\s\S]*)$/.exec(message);
  const code = m ? IpcError.shape.code.safeParse(m[1]) : undefined;
  if (m && code?.success) return { code: code.data, message: m[2] ?? '' };
  return { code: 'failed', message };
}

/** "path: message; path: message" — a zod error as one readable line naming what is wrong. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.map(String).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

// ---- browser-mode bridge: the same map over one WebSocket ----

/** Client → server: one invoke. `id` is the client's, echoed in the reply. */
export const BridgeRequest = z.object({ id: z.number().int().nonnegative(), channel: z.string(), request: z.unknown() });
export type BridgeRequest = z.infer<typeof BridgeRequest>;
/** Server → client: the reply to one invoke, or a push. */
export const BridgeServerMessage = z.union([
  z.object({ id: z.number().int().nonnegative(), response: z.unknown() }),
  z.object({ id: z.number().int().nonnegative(), error: IpcError }),
  z.object({ channel: z.string(), payload: z.unknown() }),
]);
export type BridgeServerMessage = z.infer<typeof BridgeServerMessage>;
/** WebSocket path of the bridge; the token goes in the query (`?token=`). */
export const BRIDGE_PATH = '/bridge';
