// A SecretStore that lives only in this process: the built-in demo (credentials made up per run) and tests.
// It must never persist anything.
import { SECRET_KINDS, type SecretKind, type SecretStatus } from '../../../shared/environment';
import { secretAccount, type SecretStore } from './secret-store';

/** Initial secrets by environment name, e.g. `{ demo: { 'client-secret': 'x', 'api-key': 'y' } }`. */
export type MemorySecrets = Record<string, Partial<Record<SecretKind, string>>>;

export function createMemoryStore(initial: MemorySecrets = {}): SecretStore {
  const values = new Map<string, string>();
  for (const [environment, secrets] of Object.entries(initial)) {
    for (const kind of SECRET_KINDS) {
      const value = secrets[kind];
      if (value !== undefined) values.set(secretAccount(environment, kind), value);
    }
  }
  return {
    kind: 'memory',
    async get(environment, kind) {
      return values.get(secretAccount(environment, kind));
    },
    async set(environment, kind, value) {
      if (!value) throw new Error(`refusing to store an empty ${kind} for environment "${environment}"`);
      values.set(secretAccount(environment, kind), value);
    },
    async delete(environment, kind) {
      return values.delete(secretAccount(environment, kind));
    },
    async status(environment) {
      const s = {} as SecretStatus;
      for (const kind of SECRET_KINDS) s[kind] = values.has(secretAccount(environment, kind)) ? 'set' : 'not set';
      return s;
    },
  };
}
