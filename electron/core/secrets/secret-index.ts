// Which secrets this product knows it stored, per environment, kept next to the environments
// (`secret-index.json` in the data dir): no value, only "the client-secret of acme is in the keychain".
// It answers the one question an unreachable keychain cannot: does deleting, renaming or duplicating this
// environment leave a secret behind? Without it, a user with no Secret Service could not delete an
// environment that never had a secret. It learns from every successful keychain operation (so secrets
// stored before it existed are learnt the next time the keychain answers) and is never the source of a
// secret. Must never hold a secret value.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENV_NAME_RE, SECRET_KINDS, type SecretKind } from '../../../shared/environment';
import { writeFileAtomic } from '../util/atomic-file';
import type { SecretStore } from './secret-store';

export const SECRET_INDEX_FILE = 'secret-index.json';

export interface SecretIndex {
  /** The kinds known to be stored for `environment` (possibly stale only if another tool changed the keychain). */
  stored(environment: string): Promise<SecretKind[]>;
  record(environment: string, kind: SecretKind, present: boolean): Promise<void>;
}

type IndexFile = { version: 1; stored: Record<string, SecretKind[]> };

export function createSecretIndex(dataDir: string): SecretIndex {
  const file = join(dataDir, SECRET_INDEX_FILE);
  // One writer at a time within this process; across processes the last write wins, and the next successful
  // keychain answer corrects what it lost.
  let chain: Promise<unknown> = Promise.resolve();

  async function read(): Promise<IndexFile> {
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<IndexFile>;
      const stored: Record<string, SecretKind[]> = {};
      for (const [env, kinds] of Object.entries(parsed.stored ?? {})) {
        if (ENV_NAME_RE.test(env) && Array.isArray(kinds)) stored[env] = SECRET_KINDS.filter((k) => kinds.includes(k));
      }
      return { version: 1, stored };
    } catch {
      // Missing or damaged: nothing known (it only ever adds caution, never a secret).
      return { version: 1, stored: {} };
    }
  }

  return {
    async stored(environment) {
      await chain;
      return (await read()).stored[environment] ?? [];
    },
    record(environment, kind, present) {
      if (!ENV_NAME_RE.test(environment)) return Promise.resolve();
      const run = chain.then(async () => {
        const index = await read();
        const kinds = new Set(index.stored[environment] ?? []);
        if (kinds.has(kind) === present) return;
        if (present) kinds.add(kind);
        else kinds.delete(kind);
        if (kinds.size) index.stored[environment] = SECRET_KINDS.filter((k) => kinds.has(k));
        else delete index.stored[environment];
        await mkdir(dataDir, { recursive: true, mode: 0o700 });
        await writeFileAtomic(file, `${JSON.stringify(index, null, 2)}\n`);
      });
      chain = run.catch(() => undefined);
      // The index is a hint: failing to write it must not fail the keychain operation that succeeded.
      return run.catch(() => undefined);
    },
  };
}

/** The store, with every answer the keychain gives written into the index. */
export function withSecretIndex(store: SecretStore, index: SecretIndex): SecretStore {
  return {
    kind: store.kind,
    lastUnavailable: store.lastUnavailable ? () => store.lastUnavailable?.() : undefined,
    async get(environment, kind) {
      const v = await store.get(environment, kind);
      await index.record(environment, kind, v !== undefined);
      return v;
    },
    async set(environment, kind, value) {
      await store.set(environment, kind, value);
      await index.record(environment, kind, true);
    },
    async delete(environment, kind) {
      const deleted = await store.delete(environment, kind);
      await index.record(environment, kind, false);
      return deleted;
    },
    async status(environment) {
      const s = await store.status(environment);
      for (const kind of SECRET_KINDS) if (s[kind] !== 'unavailable') await index.record(environment, kind, s[kind] === 'set');
      return s;
    },
  };
}
