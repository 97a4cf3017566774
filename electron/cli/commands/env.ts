// `env`: manage environments (settings in the per-user config dir) and their secrets (OS keychain).
// Command contract (scripts depend on it): list | add | show | set-secret | remove | test, see USAGE.
// Must never print a secret, never accept one from argv, never echo an argument of set-secret back
// (the user may have typed the secret there by mistake).
import { parseArgs } from 'node:util';
import { DEMO_ENV, MODEL_DEFAULTS, SECRET_KINDS, SecretKind, type Environment, type EnvironmentInput, type SecretStatus } from '../../../shared/environment';
import { UPSTREAM_KINDS, UpstreamKind } from '../../../shared/events';
import { UPSTREAM_KIND_INFO } from '../../../shared/upstream-kinds';
import { EXIT, UsageError, line, type CliIO, type Command } from '../cli-io';
import { parseNumber } from '../options';
import { configDir } from '../../core/environments/config-dir';
import { createEnvironmentStore, EnvironmentFileError, type EnvironmentListing, type EnvironmentStore } from '../../core/environments/environment-store';
import { EnvironmentInputError } from '../../core/environments/validate-environment';
import { isReservedName } from '../../core/environments/demo';
import { withUpstream } from '../../core/upstreams/registry';
import { KeychainUnavailableError } from '../../core/secrets/keychain-errors';
import { SecretStoreReadOnlyError } from '../../core/secrets/env-fallback-store';
import { envFallbackAllowed, resolveSecretStore, SECRETS_FROM_ENV_VAR } from '../../core/secrets/resolve-secret-store';
import { createSecretBindings, secretTarget, withBindings } from '../../core/secrets/secret-binding';
import { createSecretIndex, withSecretIndex } from '../../core/secrets/secret-index';
import { KEYCHAIN_SERVICE, secretAccount, type SecretStore } from '../../core/secrets/secret-store';
import { promptHidden, readSecretFromPipe, SecretInputError, type RawTty } from '../../core/secrets/read-secret';
import { openEnvironment } from '../../core/session/open-environment';
import { testConnection } from '../../core/upstreams/test-connection';

export const USAGE = `Usage: npm run cli -- env <subcommand> [options]

  env list [--json]                      environments (the built-in "demo" first) and whether secrets are set
  env show NAME [--json]                 all settings of one environment; secrets only as set / not set
  env add NAME --kind gateway --host HOST[:PORT] --client-id ID
          [--dialog-id D] [--session-id S] [--model M] [--temperature T] [--max-tokens N] [--description TEXT]
  env add NAME --kind socket-endpoint --endpoint-url URL --url-token T
          [--api-url URL] [--user-id U] [--session-id S] [--model M] [--description TEXT]
          [--channel socket-client|webchat3|NAME] [--transport websocket|polling] [--reset-flow]
          [--reconnect-interval MS] [--reconnection-limit N] [--usage-path data.promptResult.usage]
  env set-secret NAME client-secret|api-key
                                         reads the secret from stdin (pipe) or a hidden prompt on a terminal;
                                         never from the command line (visible in ps and shell history)
  env remove NAME [--keep-secrets]       removes the environment and its secrets from the keychain
  env test NAME                          gets a token / connects; prints granted scopes, expiry, missing ones

Options for list, show, set-secret, test:
  --secret-from-env   keychain fallback (explicit opt-in, read-only): read secrets from COGNIGY_<NAME>_CLIENT_SECRET
                      / COGNIGY_<NAME>_API_KEY, else COGNIGY_CLIENT_SECRET / COGNIGY_API_KEY (<NAME>: the environment
                      name upper-cased, other characters as "_"). Same as ${SECRETS_FROM_ENV_VAR}=1.

Plain http/ws is allowed only for loopback hosts (127.0.0.1, localhost, [::1]); anything else needs https/wss.
Secrets live in the OS keychain: service "${KEYCHAIN_SERVICE}", account "<environment>/<kind>".
Exit codes: 0 ok, 1 error (e.g. keychain unavailable), 2 bad arguments or unknown environment, 3 authentication failed (env test).`;

const COMMON = { help: { type: 'boolean', short: 'h' }, 'secret-from-env': { type: 'boolean' } } as const;

type Ctx = { io: CliIO; store: EnvironmentStore; fromEnv: boolean };

function parse<O extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's message names the option only, never its value.
    throw new UsageError((err as Error).message.split('. To specify')[0] ?? 'bad arguments');
  }
}

async function secretStore(ctx: Ctx): Promise<SecretStore> {
  const store = await resolveSecretStore({ allowEnvFallback: ctx.fromEnv, env: ctx.io.env, warn: (m) => line(ctx.io.stderr, m) });
  // The index learns only from the keychain itself (a value from an environment variable is not stored).
  const indexed = store.kind === 'keychain' && !envFallbackAllowed({ allowEnvFallback: ctx.fromEnv, env: ctx.io.env }) ? withSecretIndex(store, createSecretIndex(ctx.store.dir)) : store;
  // Where each secret may be sent (the host it was entered for): the same bindings the app keeps.
  return withBindings(indexed, ctx.store.dir);
}

/** The store for read-only displays: a missing keychain is a note, not a failure. */
async function statusReader(ctx: Ctx): Promise<{ status(name: string): Promise<SecretStatus>; note?: KeychainUnavailableError }> {
  try {
    const s = await secretStore(ctx);
    const reader: { status(name: string): Promise<SecretStatus>; note?: KeychainUnavailableError } = {
      async status(name) {
        const st = await s.status(name);
        // A locked keychain is only noticed per entry; keep the first reason to print its fix once.
        reader.note ??= s.lastUnavailable?.()?.withAction();
        return st;
      },
    };
    return reader;
  } catch (err) {
    if (!(err instanceof KeychainUnavailableError)) throw err;
    return { status: async () => ({ 'client-secret': 'unavailable', 'api-key': 'unavailable' }), note: err };
  }
}

function printKeychainNote(io: CliIO, err: KeychainUnavailableError): void {
  line(io.stderr, `note: secrets shown as "unavailable": ${err.message}\nfix: ${err.fix}`);
}

async function requireEnv(ctx: Ctx, name: string | undefined, what: string): Promise<Environment> {
  if (!name) throw new UsageError(`env ${what} needs an environment NAME`);
  const env = await ctx.store.get(name);
  if (!env) throw new EnvironmentInputError('not-found', `no environment named "${name}": see "npm run cli -- env list"`);
  return env;
}

function where(env: Environment, builtIn = false): string {
  if (builtIn) return '127.0.0.1 (in-process simulator, port chosen per run)';
  return withUpstream(env, (d, e) => d.where(e));
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

async function list(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError('env list takes no arguments');
  const { environments, problems } = await ctx.store.scan();
  const reader = await statusReader(ctx);
  const rows: Array<EnvironmentListing & { secrets: SecretStatus | 'per run' }> = [];
  for (const e of environments) rows.push({ ...e, secrets: e.builtIn ? 'per run' : await reader.status(e.name) });
  if (values.json) {
    const k = reader.note;
    const out = {
      environments: rows,
      problems: problems.map((p) => ({ file: p.file, problem: p.problem })),
      keychain: k ? { available: false, reason: k.reason, fix: k.fix } : { available: true },
    };
    line(ctx.io.stdout, JSON.stringify(out));
  } else {
    const cell = (s: SecretStatus | 'per run', kind: SecretKind) => (s === 'per run' ? s : s[kind]);
    line(ctx.io.stdout, table([
      ['NAME', 'KIND', 'HOST / URL', 'CLIENT SECRET', 'API KEY'],
      ...rows.map((r) => [r.builtIn ? `${r.name} (built-in)` : r.name, r.kind, where(r, r.builtIn), cell(r.secrets, 'client-secret'), cell(r.secrets, 'api-key')]),
    ]));
  }
  if (reader.note) printKeychainNote(ctx.io, reader.note);
  for (const p of problems) line(ctx.io.stderr, `error: ${p.message}`);
  return problems.length ? EXIT.error : EXIT.ok;
}

async function show(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError('env show takes one environment NAME');
  const env = await requireEnv(ctx, positionals[0], 'show');
  const builtIn = env.name === DEMO_ENV;
  const reader = builtIn ? undefined : await statusReader(ctx);
  const secrets = reader ? await reader.status(env.name) : 'per run';
  if (values.json) {
    line(ctx.io.stdout, JSON.stringify({ ...env, builtIn, baseUrl: builtIn ? undefined : where(env), secrets }));
  } else {
    const g = env.kind === 'gateway' ? env.gateway : undefined;
    const s = env.kind === 'socket-endpoint' ? env.socketEndpoint : undefined;
    const fields: Array<[string, unknown]> = [
      ['name', builtIn ? `${env.name} (built-in)` : env.name],
      ['kind', env.kind],
      ['description', env.description],
      ...(g ? ([['host', `${g.host}  (${builtIn ? 'port chosen per run' : where(env)})`], ['client id', g.clientId], ['dialog id', g.dialogId], ['session id', g.sessionId], ['scopes', g.scopes.join(' ')]] as Array<[string, unknown]>) : []),
      ...(s ? ([['endpoint URL', s.endpointUrl], ['URL token', s.urlToken], ['management API URL', s.apiUrl], ['user id', s.userId], ['session id', s.sessionId], ['channel', s.channel], ['test mode', s.testMode], ['transport', s.transport], ['reconnect', `every ${s.reconnectIntervalMs} ms, at most ${s.reconnectionLimit === 0 ? 'no limit' : `${s.reconnectionLimit} attempts`}`], ['reset flow', s.resetFlow], ['usage path', s.usagePath ?? '(none: usage is estimated)']] as Array<[string, unknown]>) : []),
      ['model', env.model.model],
      ['temperature', env.model.temperature],
      ['max tokens', env.model.maxTokens],
      ['policy file', env.policyPath],
      ['client secret', secrets === 'per run' ? secrets : secrets['client-secret']],
      ['API key', secrets === 'per run' ? secrets : secrets['api-key']],
      ['created', env.createdAt],
      ['updated', env.updatedAt],
    ];
    line(ctx.io.stdout, table(fields.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [`${k}:`, String(v)])));
  }
  if (reader?.note) printKeychainNote(ctx.io, reader.note);
  return EXIT.ok;
}

const ADD_OPTIONS = {
  kind: { type: 'string' }, description: { type: 'string' }, 'session-id': { type: 'string' }, model: { type: 'string' },
  host: { type: 'string' }, 'client-id': { type: 'string' }, 'dialog-id': { type: 'string' }, temperature: { type: 'string' }, 'max-tokens': { type: 'string' },
  'endpoint-url': { type: 'string' }, 'url-token': { type: 'string' }, 'api-url': { type: 'string' }, 'user-id': { type: 'string' },
  channel: { type: 'string' }, transport: { type: 'string' }, 'reset-flow': { type: 'boolean' }, 'reconnect-interval': { type: 'string' },
  'reconnection-limit': { type: 'string' }, 'usage-path': { type: 'string' },
} as const;
const GATEWAY_ONLY = ['host', 'client-id', 'dialog-id', 'temperature', 'max-tokens'] as const;
const SOCKET_ONLY = ['endpoint-url', 'url-token', 'api-url', 'user-id', 'channel', 'transport', 'reset-flow', 'reconnect-interval', 'reconnection-limit', 'usage-path'] as const;

async function add(ctx: Ctx, args: string[]): Promise<number> {
  const { values: v, positionals } = parse(args, ADD_OPTIONS);
  if (positionals.length !== 1) throw new UsageError('env add takes exactly one environment NAME');
  const name = positionals[0]!;
  const kind = UpstreamKind.safeParse(v.kind);
  if (!kind.success) throw new UsageError(`--kind must be ${UPSTREAM_KINDS.map((k) => `"${k}"`).join(' or ')}`);
  const input = addInput(name, kind.data, v);
  const saved = await ctx.store.save(input, { createOnly: true });
  line(ctx.io.stderr, `added environment "${saved.name}" (${saved.kind}, ${where(saved)})`);
  for (const needed of UPSTREAM_KIND_INFO[saved.kind].secretKinds) {
    line(ctx.io.stderr, `next: store its ${needed}: npm run cli -- env set-secret ${saved.name} ${needed}   (reads stdin or prompts; never an argument)`);
  }
  return EXIT.ok;
}

type AddValues = ReturnType<typeof parse<typeof ADD_OPTIONS>>['values'];

/** The options of `env add` as an environment of `kind`: each kind reads only its own options. */
function addInput(name: string, kind: UpstreamKind, v: AddValues): EnvironmentInput {
  const own: Record<UpstreamKind, readonly string[]> = { gateway: GATEWAY_ONLY, 'socket-endpoint': SOCKET_ONLY };
  const foreign = UPSTREAM_KINDS.filter((k) => k !== kind).flatMap((k) => own[k].filter((o) => !own[kind].includes(o))).filter((o) => v[o as keyof AddValues] !== undefined);
  if (foreign.length) throw new UsageError(`${foreign.map((o) => `--${o}`).join(', ')} cannot be used with --kind ${kind}`);
  const need = (o: keyof AddValues) => {
    if (!v[o]) throw new UsageError(`--kind ${kind} needs --${o}`);
    return v[o] as string;
  };
  const model: Record<string, unknown> = {};
  if (v.model !== undefined) model.model = v.model;
  if (v.temperature !== undefined) model.temperature = parseNumber(v.temperature, '--temperature', { min: 0, max: 2 });
  if (v['max-tokens'] !== undefined) model.maxTokens = parseNumber(v['max-tokens'], '--max-tokens', { integer: true, min: 1 });
  const common = { name, description: v.description, model: Object.keys(model).length ? { ...MODEL_DEFAULTS, ...model } : undefined };
  switch (kind) {
    case 'gateway':
      return { ...common, kind, gateway: { host: need('host'), clientId: need('client-id'), dialogId: v['dialog-id'], sessionId: v['session-id'] } };
    case 'socket-endpoint':
      return {
        ...common,
        kind,
        socketEndpoint: {
          endpointUrl: need('endpoint-url'),
          urlToken: need('url-token'),
          apiUrl: v['api-url'],
          userId: v['user-id'],
          sessionId: v['session-id'],
          ...(v.channel !== undefined ? { channel: v.channel } : {}),
          ...(v.transport !== undefined ? { transport: transportOf(v.transport) } : {}),
          ...(v['reset-flow'] ? { resetFlow: true } : {}),
          ...(v['reconnect-interval'] !== undefined ? { reconnectIntervalMs: parseNumber(v['reconnect-interval'], '--reconnect-interval', { integer: true, min: 10 }) } : {}),
          ...(v['reconnection-limit'] !== undefined ? { reconnectionLimit: parseNumber(v['reconnection-limit'], '--reconnection-limit', { integer: true, min: 0 }) } : {}),
          ...(v['usage-path'] !== undefined ? { usagePath: v['usage-path'] } : {}),
        },
      };
    default: {
      const never: never = kind;
      throw new UsageError(`unknown --kind ${String(never)}`);
    }
  }
}

async function setSecret(ctx: Ctx, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  // Nothing of argv is echoed back here: a mistyped command line may hold the secret itself.
  if (positionals.length > 2) {
    throw new UsageError('env set-secret takes only NAME and the kind of secret. The secret itself is never accepted as an argument (command lines are visible to other users in `ps` and are saved in shell history): pipe it on stdin or type it at the hidden prompt.');
  }
  const [name, kindArg] = positionals;
  if (!name || !kindArg) throw new UsageError('env set-secret needs NAME and the kind of secret: client-secret or api-key');
  const kind = SecretKind.safeParse(kindArg);
  if (!kind.success) throw new UsageError(`the kind of secret must be one of: ${SECRET_KINDS.join(', ')}`);
  if (isReservedName(name)) throw new EnvironmentInputError('reserved', `the built-in "${DEMO_ENV}" environment makes up its credentials per run: it has no secrets to set`);
  const target = await ctx.store.get(name).catch(() => undefined);
  if (!target) {
    throw new EnvironmentInputError('not-found', 'no environment with that name: see "npm run cli -- env list" (add it first with "env add")');
  }
  // Resolve the store first: nobody should type a secret only to learn the keychain is missing.
  const store = await secretStore(ctx);
  const stdin = ctx.io.stdin as RawTty;
  const value = stdin.isTTY
    ? await promptHidden(stdin, ctx.io.stderr, `${kind.data} for "${name}" (input hidden): `, { signal: ctx.io.signal, what: kind.data })
    : await readSecretFromPipe(ctx.io.stdin, { signal: ctx.io.signal, what: kind.data });
  await store.set(name, kind.data, value);
  await store.bindings?.set(name, kind.data, secretTarget(target, kind.data));
  line(ctx.io.stderr, `stored the ${kind.data} of "${name}" in the OS keychain (service ${KEYCHAIN_SERVICE}, account ${secretAccount(name, kind.data)})`);
  return EXIT.ok;
}

async function remove(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'keep-secrets': { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('env remove takes exactly one environment NAME');
  const name = positionals[0]!;
  if (isReservedName(name)) throw new EnvironmentInputError('reserved', `"${name}" is the built-in demo environment: it cannot be removed`);
  // A file that no longer parses can still be removed: the user named it explicitly.
  const exists = await ctx.store.get(name).then(Boolean, (err) => (err instanceof EnvironmentFileError ? true : Promise.reject(err)));
  if (!exists) throw new EnvironmentInputError('not-found', `no environment named "${name}": see "npm run cli -- env list"`);
  const removed: string[] = [];
  if (!values['keep-secrets']) {
    let store: SecretStore;
    try {
      // The keychain itself, never the fallback: there is nothing to delete from environment variables.
      store = withSecretIndex(await resolveSecretStore({ allowEnvFallback: false, env: {} }), createSecretIndex(ctx.store.dir));
      for (const kind of SECRET_KINDS) if (await store.delete(name, kind)) removed.push(kind);
    } catch (err) {
      if (err instanceof KeychainUnavailableError) {
        line(ctx.io.stderr, `error: could not remove the secrets of "${name}", so the environment was kept. ${err.message}\nfix: ${err.fix}`);
        line(ctx.io.stderr, `or remove only the settings with --keep-secrets (any keychain entries stay: service ${KEYCHAIN_SERVICE}, accounts ${SECRET_KINDS.map((k) => secretAccount(name, k)).join(', ')})`);
        return EXIT.error;
      }
      throw err;
    }
  }
  await ctx.store.remove(name);
  if (!values['keep-secrets']) for (const kind of SECRET_KINDS) await createSecretBindings(ctx.store.dir).set(name, kind, undefined);
  const what = values['keep-secrets'] ? '; its keychain entries were kept (--keep-secrets)' : removed.length ? ` and its ${removed.join(' and ')} from the keychain` : ' (it had no secrets in the keychain)';
  line(ctx.io.stderr, `removed environment "${name}"${what}`);
  return EXIT.ok;
}

async function test(ctx: Ctx, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('env test takes exactly one environment NAME');
  const name = positionals[0]!;
  let environment: Environment;
  let secrets: SecretStore;
  let close = async () => undefined as void;
  if (isReservedName(name)) {
    const opened = await openEnvironment(DEMO_ENV, { dataDir: ctx.store.dir, speed: 0 });
    ({ environment, secrets } = opened);
    close = opened.close;
  } else {
    environment = await requireEnv(ctx, name, 'test');
    secrets = await secretStore(ctx);
    if (environment.kind === 'gateway') {
      // Read here first so a locked keychain is reported with its fix, and a missing secret before any
      // request is made (throws KeychainUnavailableError, handled below).
      if ((await secrets.get(name, 'client-secret')) === undefined) {
        line(ctx.io.stderr, `error: no client-secret stored for "${name}": run "npm run cli -- env set-secret ${name} client-secret" (or pass it per run with --secret-from-env)`);
        return EXIT.error;
      }
    }
  }
  try {
    const report = await testConnection(environment, secrets, { signal: ctx.io.signal });
    for (const l of report.lines) line(ctx.io.stdout, l);
    if (report.ok) return EXIT.ok;
    if (report.error) line(ctx.io.stderr, `error: ${report.error}`);
    return report.cause === 'auth' || report.cause === 'forbidden' ? EXIT.auth : EXIT.error;
  } finally {
    await close();
  }
}

const SUBCOMMANDS: Record<string, (ctx: Ctx, args: string[]) => Promise<number>> = {
  list, show, add, 'set-secret': setSecret, remove, test,
};

export const envCommand: Command = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    // `set-secret x y --help` must not echo anything either: the usage text is fixed.
    line(sub ? io.stdout : io.stderr, USAGE);
    return sub ? EXIT.ok : EXIT.usage;
  }
  const run = SUBCOMMANDS[sub];
  if (!run) throw new UsageError(`unknown env subcommand "${sub}": use one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
  const ctx: Ctx = { io, store: createEnvironmentStore(configDir(io.env)), fromEnv: rest.includes('--secret-from-env') };
  try {
    return await run(ctx, rest);
  } catch (err) {
    if (err instanceof EnvironmentInputError) {
      line(io.stderr, `error: ${err.message}`);
      return EXIT.usage;
    }
    if (err instanceof SecretInputError) {
      line(io.stderr, `error: ${err.message}`);
      return EXIT.usage;
    }
    if (err instanceof KeychainUnavailableError) {
      line(io.stderr, `error: ${err.message}\nfix: ${err.fix}`);
      return EXIT.error;
    }
    if (err instanceof SecretStoreReadOnlyError || err instanceof EnvironmentFileError) {
      line(io.stderr, `error: ${err.message}`);
      return EXIT.error;
    }
    throw err;
  }
};

function transportOf(v: string): 'websocket' | 'polling' {
  if (v !== 'websocket' && v !== 'polling') throw new UsageError(`--transport must be "websocket" (WebSocket only, the default) or "polling" (polling with upgrade), got "${v}"`);
  return v;
}
