// What differs per upstream kind and every layer may know (the renderer included): how the kind is
// labelled, which secrets it keeps, how its tokens are reassembled into messages, and whether Webchat sits
// on it. One entry per kind in a Record, so a new kind does not compile until it says all of this; the
// main-side half (how to open, sync, test and record it) is electron/core/upstreams/registry.ts.
import type { Environment, EnvironmentOf, SecretKind } from './environment';
import type { UpstreamKind } from './events';

/**
 * How tokens become messages. `one-answer`: tokens without a message id all belong to one answer (the
 * gateway's stream). `per-output`: an output without `_messageId` is a complete message of its own (the
 * Socket Endpoint, as Webchat renders it).
 */
export type ReassemblyMode = 'one-answer' | 'per-output';

export interface UpstreamKindInfo<K extends UpstreamKind> {
  /** How the kind is named in the environment form's select and the CLI. */
  label: string;
  /** The secrets an environment of this kind may store (form inputs, `env add`'s "next:" hint). */
  secretKinds: readonly SecretKind[];
  /** The secrets it needs to stream; one that needs none must work without ever asking the keychain. */
  requiredSecrets(env: EnvironmentOf<K>): SecretKind[];
  reassembly: ReassemblyMode;
  /** Webchat talks to this upstream: the Webchat preview and the tap apply. */
  webchat: boolean;
}

export const UPSTREAM_KIND_INFO: { readonly [K in UpstreamKind]: UpstreamKindInfo<K> } = {
  gateway: {
    label: 'LLM gateway (OAuth + WebSocket)',
    secretKinds: ['client-secret'],
    requiredSecrets: () => ['client-secret'],
    reassembly: 'one-answer',
    webchat: false,
  },
  'socket-endpoint': {
    label: 'Socket.IO endpoint',
    secretKinds: ['api-key'],
    requiredSecrets: (env) => (env.socketEndpoint.apiUrl ? ['api-key'] : []),
    reassembly: 'per-output',
    webchat: true,
  },
};

/** The info of a kind, typed for that kind. */
export function kindInfo<K extends UpstreamKind>(kind: K): UpstreamKindInfo<K> {
  return UPSTREAM_KIND_INFO[kind];
}

/** The secrets `env` needs to stream, by its kind. */
export function requiredSecretsOf(env: Environment): SecretKind[] {
  return withKind(env, (info, e) => info.requiredSecrets(e));
}

/** Calls `f` with the info of `env`'s kind and `env` typed as that kind. */
export function withKind<R>(env: Environment, f: <K extends UpstreamKind>(info: UpstreamKindInfo<K>, env: EnvironmentOf<K>) => R): R {
  return f(kindInfo(env.kind), env);
}
