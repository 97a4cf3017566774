// What every `env` subcommand shares: strict option parsing that never echoes a value, and the secret
// stores the CLI hands to the environment service (the same service the app's environment IPC calls).
import { parseArgs } from 'node:util';
import { UsageError, line, type CliIO } from '../cli-io';
import { HELP_OPTION } from '../options';
import { createEnvironmentService, createUserEnvironmentService, type EnvironmentService } from '../../core/environments/environment-service';
import type { EnvironmentStore } from '../../core/environments/environment-store';
import { envFallbackAllowed, resolveSecretStore } from '../../core/secrets/resolve-secret-store';
import { withBindings } from '../../core/secrets/secret-binding';
import { createSecretIndex, withSecretIndex } from '../../core/secrets/secret-index';
import type { SecretStore } from '../../core/secrets/secret-store';

export const COMMON = { ...HELP_OPTION, 'secret-from-env': { type: 'boolean' } } as const;

export type Ctx = { io: CliIO; store: EnvironmentStore; fromEnv: boolean };

export function parse<O extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's message names the option only, never its value.
    throw new UsageError((err as Error).message.split('. To specify')[0] ?? 'bad arguments');
  }
}

/**
 * The store for reading secrets (list, show, set-secret, test): resolved first, so a missing keychain is
 * said before anyone types a secret; with --secret-from-env the read-only environment-variable fallback.
 */
export async function secretStore(ctx: Ctx): Promise<SecretStore> {
  const store = await resolveSecretStore({ allowEnvFallback: ctx.fromEnv, env: ctx.io.env, warn: (m) => line(ctx.io.stderr, m) });
  // The index learns only from the keychain itself (a value from an environment variable is not stored).
  const indexed = store.kind === 'keychain' && !envFallbackAllowed({ allowEnvFallback: ctx.fromEnv, env: ctx.io.env }) ? withSecretIndex(store, createSecretIndex(ctx.store.dir)) : store;
  // Where each secret may be sent (the host it was entered for): the same bindings the app keeps.
  return withBindings(indexed, ctx.store.dir);
}

/** The service over a store resolved as for reading (set-secret, test). */
export function serviceOver(ctx: Ctx, secrets: SecretStore): EnvironmentService {
  return createEnvironmentService({ store: ctx.store, secrets, secretIndex: createSecretIndex(ctx.store.dir) });
}

/**
 * The service over the keychain itself, never the fallback (remove, rename, duplicate, clear-secret): there
 * is nothing to move or delete in environment variables, and an unreachable keychain is decided with the
 * secret index, as in the app.
 */
export function keychainService(ctx: Ctx): EnvironmentService {
  return createUserEnvironmentService(ctx.store.dir, { store: ctx.store }).service;
}
