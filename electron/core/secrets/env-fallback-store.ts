// The keychain fallback, for machines without a usable keychain (CI, containers, SSH sessions): secrets are
// read per run from environment variables. Explicit opt-in only (`--secret-from-env` or
// STREAM_DEBUGGER_SECRETS_FROM_ENV=1, see resolve-secret-store.ts), announced on stderr every time a value is
// used, and READ-ONLY: it must never write a secret anywhere — there is no plain-text-file fallback.
//
// Variables, first match wins (ENVNAME = the environment name upper-cased, every character other than
// A-Z and 0-9 replaced by "_": `acme-prod` → `ACME_PROD`):
//   client secret: COGNIGY_<ENVNAME>_CLIENT_SECRET, then COGNIGY_CLIENT_SECRET
//   API key:       COGNIGY_<ENVNAME>_API_KEY,       then COGNIGY_API_KEY
import { SECRET_KINDS, type SecretKind, type SecretStatus } from '../../../shared/environment';
import type { SecretStore } from './secret-store';

export class SecretStoreReadOnlyError extends Error {
  override name = 'SecretStoreReadOnlyError';
}

const KIND_SUFFIX: Record<SecretKind, string> = { 'client-secret': 'CLIENT_SECRET', 'api-key': 'API_KEY' };

/** The variables consulted for one secret, most specific first. */
export function secretEnvVarNames(environment: string, kind: SecretKind): [string, string] {
  const envPart = environment.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return [`COGNIGY_${envPart}_${KIND_SUFFIX[kind]}`, `COGNIGY_${KIND_SUFFIX[kind]}`];
}

export interface EnvFallbackOptions {
  /** Where the "using secret from environment variable" notice goes; default stderr. */
  warn?: (message: string) => void;
}

export const defaultWarn = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

export function createEnvFallbackStore(processEnv: NodeJS.ProcessEnv, opts: EnvFallbackOptions = {}): SecretStore {
  const warn = opts.warn ?? defaultWarn;
  const announced = new Set<string>();

  function lookup(environment: string, kind: SecretKind): { name: string; value: string } | undefined {
    for (const name of secretEnvVarNames(environment, kind)) {
      const value = processEnv[name];
      if (value) return { name, value };
    }
    return undefined;
  }

  function readOnly(environment: string, kind: SecretKind, verb: string): SecretStoreReadOnlyError {
    const [specific] = secretEnvVarNames(environment, kind);
    return new SecretStoreReadOnlyError(
      `cannot ${verb} the ${kind} of environment "${environment}": no OS keychain is in use, and the environment-variable ` +
        `fallback is read-only (secrets are never written to a plain-text file). Make the keychain available, or pass ` +
        `the secret per run: set ${specific} in the environment of the command and add --secret-from-env.`,
    );
  }

  return {
    kind: 'env-fallback',
    async get(environment, kind) {
      const hit = lookup(environment, kind);
      if (!hit) return undefined;
      // Once per variable and store is enough to make the fallback impossible to miss.
      if (!announced.has(hit.name)) {
        announced.add(hit.name);
        warn(`using secret from environment variable ${hit.name} (keychain fallback)`);
      }
      return hit.value;
    },
    async set(environment, kind) {
      throw readOnly(environment, kind, 'store');
    },
    async delete(environment, kind) {
      throw readOnly(environment, kind, 'delete');
    },
    async status(environment) {
      const s = {} as SecretStatus;
      for (const kind of SECRET_KINDS) s[kind] = lookup(environment, kind) ? 'set' : 'not set';
      return s;
    },
  };
}
