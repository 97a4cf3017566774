// Where a stored secret may go: the place it was entered for — the gateway (its base URL) for the OAuth
// client secret, the management API URL for the API key. Kept main-side in `secret-bindings.json` in the
// data dir (no value, only "the client-secret of acme was entered for https://acme.cognigy.ai"), never
// part of an environment the renderer can write. A secret is released to an upstream only for the target
// it is bound to (upstream-secret.ts); changing an environment's target detaches its secret (environment-ipc).
// Secrets stored before bindings existed are bound the first time they are used. Must never hold a secret.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment, SecretKind } from '../../../shared/environment';
import { withUpstream } from '../upstreams/registry';
import { writeFileAtomic } from '../util/atomic-file';
import type { SecretStore } from './secret-store';

export const SECRET_BINDINGS_FILE = 'secret-bindings.json';

/** A URL as a binding target: origin and path, no trailing slash, no query. */
export function targetOf(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The target a secret of `kind` is sent to for `env`, or undefined when it has none. */
export function secretTarget(env: Environment, kind: SecretKind): string | undefined {
  try {
    return withUpstream(env, (d, e) => d.secretTarget(e, kind));
  } catch {
    return undefined;
  }
}

/** The store with its bindings in `dataDir` attached (the app's and the CLI's stores of stored environments). */
export function withBindings(store: SecretStore, dataDir: string): SecretStore {
  if (store.bindings || store.kind === 'env-fallback') return store; // env secrets are given per run, by the user
  const bindings = createSecretBindings(dataDir);
  return {
    kind: store.kind,
    ...(store.lastUnavailable ? { lastUnavailable: () => store.lastUnavailable?.() } : {}),
    get: (environment, kind) => store.get(environment, kind),
    set: (environment, kind, value) => store.set(environment, kind, value),
    delete: (environment, kind) => store.delete(environment, kind),
    status: (environment) => store.status(environment),
    bindings,
  };
}

export interface SecretBindings {
  get(environment: string, kind: SecretKind): Promise<string | undefined>;
  /** Records (target) or forgets (undefined) where the secret was entered for. */
  set(environment: string, kind: SecretKind, target: string | undefined): Promise<void>;
}

type BindingsFile = { version: 1; bound: Record<string, string> };

export function createSecretBindings(dataDir: string): SecretBindings {
  const file = join(dataDir, SECRET_BINDINGS_FILE);
  let chain: Promise<unknown> = Promise.resolve();
  const key = (environment: string, kind: SecretKind) => `${environment}/${kind}`;

  async function read(): Promise<BindingsFile> {
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<BindingsFile>;
      const bound: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed.bound ?? {})) if (typeof v === 'string') bound[k] = v;
      return { version: 1, bound };
    } catch {
      // Missing or damaged: secrets are bound again at their next use (to the target the environment has then).
      return { version: 1, bound: {} };
    }
  }

  return {
    async get(environment, kind) {
      await chain;
      return (await read()).bound[key(environment, kind)];
    },
    set(environment, kind, target) {
      const run = chain.then(async () => {
        const b = await read();
        if (b.bound[key(environment, kind)] === target) return;
        if (target === undefined) delete b.bound[key(environment, kind)];
        else b.bound[key(environment, kind)] = target;
        await mkdir(dataDir, { recursive: true, mode: 0o700 });
        await writeFileAtomic(file, `${JSON.stringify(b, null, 2)}\n`);
      });
      chain = run.catch(() => undefined);
      return run;
    },
  };
}
