// The environment editor's form state: flat strings as typed, converted to an Environment for saving and
// validated with the shared schema so field errors name the field. Holds no secret (secrets are never
// part of an environment, and the secret inputs are uncontrolled).
import { Environment, MODEL_DEFAULTS, type EnvironmentInput } from '../../../../shared/environment';
import type { UpstreamKind } from '../../../../shared/events';
import { describeZodError } from '../../../../shared/ipc';

export interface Draft {
  name: string;
  kind: UpstreamKind;
  description: string;
  host: string;
  clientId: string;
  dialogId: string;
  gatewaySessionId: string;
  scopes: string;
  endpointUrl: string;
  urlToken: string;
  apiUrl: string;
  userId: string;
  socketSessionId: string;
  channel: string;
  testMode: boolean;
  model: string;
  temperature: string;
  maxTokens: string;
  policyPath: string;
}

export const EMPTY_DRAFT: Draft = {
  name: '',
  kind: 'gateway',
  description: '',
  host: '',
  clientId: '',
  dialogId: 'default-dialog',
  gatewaySessionId: '',
  scopes: 'llm:stream, bot:dialog:write, api:access',
  endpointUrl: '',
  urlToken: '',
  apiUrl: '',
  userId: '',
  socketSessionId: '',
  channel: 'socket-client',
  testMode: true,
  model: MODEL_DEFAULTS.model,
  temperature: String(MODEL_DEFAULTS.temperature),
  maxTokens: String(MODEL_DEFAULTS.maxTokens),
  policyPath: '',
};

export function draftOf(env: Environment): Draft {
  const g = env.kind === 'gateway' ? env.gateway : undefined;
  const s = env.kind === 'socket-endpoint' ? env.socketEndpoint : undefined;
  return {
    ...EMPTY_DRAFT,
    name: env.name,
    kind: env.kind,
    description: env.description ?? '',
    host: g?.host ?? '',
    clientId: g?.clientId ?? '',
    dialogId: g?.dialogId ?? EMPTY_DRAFT.dialogId,
    gatewaySessionId: g?.sessionId ?? '',
    scopes: (g?.scopes ?? []).join(', ') || EMPTY_DRAFT.scopes,
    endpointUrl: s?.endpointUrl ?? '',
    urlToken: s?.urlToken ?? '',
    apiUrl: s?.apiUrl ?? '',
    userId: s?.userId ?? '',
    socketSessionId: s?.sessionId ?? '',
    channel: s?.channel ?? EMPTY_DRAFT.channel,
    testMode: s?.testMode ?? true,
    model: env.model.model,
    temperature: String(env.model.temperature),
    maxTokens: String(env.model.maxTokens),
    policyPath: env.policyPath ?? '',
  };
}

const opt = (v: string) => (v.trim() ? v.trim() : undefined);
const num = (v: string) => (v.trim() === '' ? NaN : Number(v));

/** The kind's own settings as typed into its fieldset: one entry per kind, so a new kind must say its own. */
const KIND_SETTINGS: { [K in UpstreamKind]: (d: Draft) => Omit<Extract<EnvironmentInput, { kind: K }>, keyof CommonInput> } = {
  gateway: (d) => ({
    kind: 'gateway',
    gateway: {
      host: d.host.trim(),
      clientId: d.clientId.trim(),
      dialogId: opt(d.dialogId),
      sessionId: opt(d.gatewaySessionId),
      scopes: d.scopes
        .split(/[,\s]+/)
        .map((x) => x.trim())
        .filter(Boolean),
    },
  }),
  'socket-endpoint': (d) => ({
    kind: 'socket-endpoint',
    socketEndpoint: {
      endpointUrl: d.endpointUrl.trim(),
      urlToken: d.urlToken.trim(),
      apiUrl: opt(d.apiUrl),
      userId: opt(d.userId),
      sessionId: opt(d.socketSessionId),
      channel: opt(d.channel),
      testMode: d.testMode,
    },
  }),
};
type CommonInput = Pick<EnvironmentInput, 'name' | 'description' | 'model' | 'policyPath' | 'createdAt' | 'updatedAt'>;

export function environmentOf(d: Draft): EnvironmentInput {
  const common: CommonInput = {
    name: d.name.trim(),
    description: opt(d.description),
    model: { model: d.model.trim(), temperature: num(d.temperature), maxTokens: num(d.maxTokens) },
    policyPath: opt(d.policyPath),
  };
  return { ...common, ...KIND_SETTINGS[d.kind](d) };
}

/** Field errors by dotted path (e.g. `gateway.host`), or the whole environment when valid. */
export function validateDraft(d: Draft): { ok: true; environment: Environment } | { ok: false; errors: Record<string, string>; summary: string } {
  const r = Environment.safeParse(environmentOf(d));
  if (r.success) return { ok: true, environment: r.data };
  const errors: Record<string, string> = {};
  for (const i of r.error.issues) {
    const path = i.path.map(String).join('.');
    errors[path] ??= i.message;
  }
  return { ok: false, errors, summary: describeZodError(r.error) };
}
