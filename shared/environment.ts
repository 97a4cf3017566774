// An environment: where to connect and as whom, minus the secrets. Stored as JSON in the per-user config
// dir and sent to the renderer; so by construction it has no field that could hold a secret.
import { z } from 'zod';
import { SocketTransport, UpstreamKind } from './events';

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
export const ModelSettings = z.object({
  model: z.string().min(1, 'Model is required').default('gpt-4-turbo'),
  temperature: z.number({ error: TEMPERATURE }).min(0, TEMPERATURE).max(2, TEMPERATURE).default(0.7),
  maxTokens: z.number({ error: 'Max tokens must be a whole number of at least 1' }).int('Max tokens must be a whole number of at least 1').min(1, 'Max tokens must be a whole number of at least 1').default(1024),
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
});

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
});

export const Environment = z.object({
  name: EnvName,
  kind: UpstreamKind,
  description: z.string().optional(),
  gateway: GatewaySettings.optional(),
  socketEndpoint: SocketEndpointSettings.optional(),
  model: ModelSettings.default({ model: 'gpt-4-turbo', temperature: 0.7, maxTokens: 1024 }),
  /** Filter policy file (JSON) for this environment; absent = default policy. */
  policyPath: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
}).superRefine((env, ctx) => {
  if (env.kind === 'gateway' && !env.gateway) ctx.addIssue({ code: 'custom', message: 'a gateway environment needs gateway settings (host, client id)', path: ['gateway'] });
  if (env.kind === 'socket-endpoint' && !env.socketEndpoint) ctx.addIssue({ code: 'custom', message: 'a socket-endpoint environment needs endpoint settings (endpoint URL, URL token)', path: ['socketEndpoint'] });
});
export type Environment = z.infer<typeof Environment>;
export type EnvironmentInput = z.input<typeof Environment>;

/**
 * The secrets an environment needs to stream: a gateway its OAuth client secret; a socket endpoint only the
 * management API key, and only when it has a management API URL (for the write-back). One that needs none
 * must work without ever asking the keychain.
 */
export function requiredSecrets(env: Pick<Environment, 'kind' | 'socketEndpoint'>): SecretKind[] {
  switch (env.kind) {
    case 'gateway':
      return ['client-secret'];
    case 'socket-endpoint':
      return env.socketEndpoint?.apiUrl ? ['api-key'] : [];
    default: {
      const never: never = env.kind;
      throw new Error(`unknown upstream kind ${String(never)}`);
    }
  }
}

/** The name of the built-in environment that runs the simulator in-process. */
export const DEMO_ENV = 'demo';

/** What `env show` and the renderer see of secrets: only whether they are set. */
export const SecretStatus = z.object({
  'client-secret': z.enum(['set', 'not set', 'unavailable']),
  'api-key': z.enum(['set', 'not set', 'unavailable']),
});
export type SecretStatus = z.infer<typeof SecretStatus>;
