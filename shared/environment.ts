// An environment: where to connect and as whom, minus the secrets. Stored as JSON in the per-user config
// dir and sent to the renderer; so by construction it has no field that could hold a secret.
import { z } from 'zod';
import { SocketTransport, UPSTREAM_KINDS, type UpstreamKind } from './events';
import { requiredSecretsOf } from './upstream-kinds';

/** processInput channels the real clients send: the official client's default and Webchat v3's. */
export const SOCKET_CHANNELS = ['socket-client', 'webchat3'] as const;

export const SECRET_KINDS = ['client-secret', 'api-key'] as const;
export const SecretKind = z.enum(SECRET_KINDS);
export type SecretKind = z.infer<typeof SecretKind>;

export const ENV_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const EnvName = z
  .string()
  .min(1, 'Name is required')
  .regex(ENV_NAME_RE, 'use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

// Messages speak the person's language and name the field as the form and the CLI label it ("Host is
// required"), since they are shown next to the field and printed by `env add`.
const TEMPERATURE = 'Temperature must be a number between 0 and 2';
/** The model settings a new environment starts with: typed once, read by the schema, the CLI and the form. */
export const MODEL_DEFAULTS = { model: 'gpt-4-turbo', temperature: 0.7, maxTokens: 1024 } as const;
export const ModelSettings = z.object({
  model: z.string().min(1, 'Model is required').default(MODEL_DEFAULTS.model),
  temperature: z.number({ error: TEMPERATURE }).min(0, TEMPERATURE).max(2, TEMPERATURE).default(MODEL_DEFAULTS.temperature),
  maxTokens: z.number({ error: 'Max tokens must be a whole number of at least 1' }).int('Max tokens must be a whole number of at least 1').min(1, 'Max tokens must be a whole number of at least 1').default(MODEL_DEFAULTS.maxTokens),
});
export type ModelSettings = z.infer<typeof ModelSettings>;

export const GatewaySettings = z.object({
  /** Host with optional port, no scheme: `acme.cognigy.ai` or `127.0.0.1:8080`. */
  host: z.string().min(1, 'Host is required'),
  clientId: z.string().min(1, 'Client ID is required'),
  dialogId: z.string().min(1, 'Dialog ID is required').default('default-dialog'),
  sessionId: z.string().min(1).optional(),
  /** OAuth scopes requested. */
  scopes: z.array(z.string()).default(['llm:stream', 'bot:dialog:write', 'api:access']),
}, { error: (iss) => (iss.input === undefined ? 'a gateway environment needs gateway settings (host, client id)' : undefined) });

export const SocketEndpointSettings = z.object({
  /** `https://endpoint-<env>.cognigy.ai/<URLToken>` or only the server part. */
  endpointUrl: z.string().min(1, 'Endpoint URL is required').url('Endpoint URL must be a full URL, e.g. https://endpoint-trial.cognigy.ai'),
  urlToken: z.string().min(1, 'URL token is required'),
  /** Management API base, e.g. `https://api-trial.cognigy.ai`. Needed for context inject. */
  apiUrl: z.string().url('Management API URL must be a full URL, e.g. https://api-trial.cognigy.ai').optional(),
  userId: z.string().min(1).optional(),
  sessionId: z.string().min(1).optional(),
  /** processInput `channel`: `socket-client` (the official client's default) or `webchat3` (what Webchat v3 sends), or your own. */
  channel: z.string().min(1).default(SOCKET_CHANNELS[0]),
  testMode: z.boolean().default(true),
  /** WebSocket only (default, as the v5 client and Webchat v3) or polling with upgrade to WebSocket. */
  transport: SocketTransport.default('websocket'),
  /** The official client's reconnect loop: one attempt every interval, at most `reconnectionLimit` (0 = no limit). */
  reconnectIntervalMs: z.number().int().min(10, 'the reconnect interval must be at least 10 ms').default(10_000),
  reconnectionLimit: z.number().int().min(0, 'the reconnection limit must be 0 (no limit) or more').default(5),
  /** processInput `resetFlow` (start the flow from its beginning). */
  resetFlow: z.boolean().default(false),
  /** processInput `passthroughIP`; null as the official client sends it. */
  passthroughIP: z.string().min(1).nullable().default(null),
  /**
   * Where a flow outputs its stored usage ("Store Detailed Results": `{finishReason, usage}`), as a dotted
   * path into an output's `{text, data}`, e.g. `data.promptResult.usage`. Absent: usage is estimated.
   */
  usagePath: z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'use a dotted path like data.promptResult.usage').optional(),
}, { error: (iss) => (iss.input === undefined ? 'a socket-endpoint environment needs endpoint settings (endpoint URL, URL token)' : undefined) });

// What every environment has, whatever its upstream.
const common = {
  name: EnvName,
  description: z.string().optional(),
  model: ModelSettings.default(MODEL_DEFAULTS),
  /** Filter policy file (JSON) for this environment; absent = default policy. */
  policyPath: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
};

export const GatewayEnvironment = z.object({
  ...common,
  kind: z.literal('gateway'),
  gateway: GatewaySettings,
});
export type GatewayEnvironment = z.infer<typeof GatewayEnvironment>;

export const SocketEndpointEnvironment = z.object({
  ...common,
  kind: z.literal('socket-endpoint'),
  socketEndpoint: SocketEndpointSettings,
});
export type SocketEndpointEnvironment = z.infer<typeof SocketEndpointEnvironment>;

/**
 * An environment is one of the upstream kinds, told apart by `kind`; each carries exactly its own settings,
 * so code reaches a kind's settings only after checking the kind (or through its descriptor).
 */
export const Environment = z.discriminatedUnion('kind', [GatewayEnvironment, SocketEndpointEnvironment], {
  error: (iss) => (iss.code === 'invalid_union' ? `Kind must be one of ${UPSTREAM_KINDS.map((k) => `"${k}"`).join(', ')}` : undefined),
});
/** The environment of one kind. */
export type EnvironmentOf<K extends UpstreamKind> = Extract<Environment, { kind: K }>;
export type Environment = z.infer<typeof Environment>;
export type EnvironmentInput = z.input<typeof Environment>;

/**
 * The secrets an environment needs to stream (its kind decides: shared/upstream-kinds.ts). One that needs
 * none must work without ever asking the keychain.
 */
export function requiredSecrets(env: Environment): SecretKind[] {
  return requiredSecretsOf(env);
}

/** The name of the built-in environment that runs the simulator in-process. */
export const DEMO_ENV = 'demo';

/** What `env show` and the renderer see of secrets: only whether they are set. */
export const SecretStatus = z.object({
  'client-secret': z.enum(['set', 'not set', 'unavailable']),
  'api-key': z.enum(['set', 'not set', 'unavailable']),
});
export type SecretStatus = z.infer<typeof SecretStatus>;
