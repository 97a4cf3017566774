// `env`: manage environments (settings in the per-user config dir) and their secrets (OS keychain), the
// CLI's face of the environment service the app uses too (core/environments/environment-service.ts).
// Command contract (scripts depend on it): list | show | add | rename | duplicate | set-secret |
// clear-secret | remove | test, see USAGE. Must never print a secret, never accept one from argv, never
// echo an argument of set-secret back (the user may have typed the secret there by mistake).
import { DEMO_ENV, SECRET_KINDS, SecretKind, type EnvironmentInput } from '../../../shared/environment';
import { UPSTREAM_KINDS, UpstreamKind } from '../../../shared/events';
import { UPSTREAM_KIND_INFO } from '../../../shared/upstream-kinds';
import { EXIT, UsageError, line, type Command } from '../cli-io';
import { parseNumber } from '../options';
import { configDir } from '../../core/environments/config-dir';
import { isReservedName } from '../../core/environments/demo';
import { SecretsStuckError } from '../../core/environments/environment-service';
import { createEnvironmentStore, EnvironmentFileError } from '../../core/environments/environment-store';
import { EnvironmentInputError } from '../../core/environments/validate-environment';
import { KeychainUnavailableError } from '../../core/secrets/keychain-errors';
import { SecretStoreReadOnlyError } from '../../core/secrets/env-fallback-store';
import { SECRETS_FROM_ENV_VAR } from '../../core/secrets/resolve-secret-store';
import { KEYCHAIN_SERVICE, secretAccount } from '../../core/secrets/secret-store';
import { promptHidden, readSecretFromPipe, SecretInputError, type RawTty } from '../../core/secrets/read-secret';
import { keychainService, parse, secretStore, serviceOver, type Ctx } from './env-context';
import { list, requireEnv, show, where } from './env-list';

export const USAGE = `Usage: npm run cli -- env <subcommand> [options]

  env list [--json]                      environments (the built-in "demo" first) and whether secrets are set
  env show NAME [--json]                 all settings of one environment; secrets only as set / not set
  env add NAME --kind gateway --host HOST[:PORT] --client-id ID
          [--dialog-id D] [--session-id S] [--model M] [--temperature T] [--max-tokens N] [--description TEXT]
  env add NAME --kind socket-endpoint --endpoint-url URL --url-token T
          [--api-url URL] [--user-id U] [--session-id S] [--model M] [--description TEXT]
          [--channel socket-client|webchat3|NAME] [--transport websocket|polling] [--reset-flow]
          [--reconnect-interval MS] [--reconnection-limit N] [--usage-path data.promptResult.usage]
  env rename NAME NEW-NAME               renames it; its secrets move along in the keychain
  env duplicate NAME NEW-NAME            copies its settings and secrets under a new name
  env set-secret NAME client-secret|api-key
                                         reads the secret from stdin (pipe) or a hidden prompt on a terminal;
                                         never from the command line (visible in ps and shell history)
  env clear-secret NAME client-secret|api-key
                                         removes that secret from the keychain
  env remove NAME [--keep-secrets]       removes the environment and its secrets from the keychain
  env test NAME                          gets a token / connects; prints granted scopes, expiry, missing ones

Options for list, show, set-secret, test:
  --secret-from-env   keychain fallback (explicit opt-in, read-only): read secrets from COGNIGY_<NAME>_CLIENT_SECRET
                      / COGNIGY_<NAME>_API_KEY, else COGNIGY_CLIENT_SECRET / COGNIGY_API_KEY (<NAME>: the environment
                      name upper-cased, other characters as "_"). Same as ${SECRETS_FROM_ENV_VAR}=1.

Plain http/ws is allowed only for loopback hosts (127.0.0.1, localhost, [::1]); anything else needs https/wss.
Secrets live in the OS keychain: service "${KEYCHAIN_SERVICE}", account "<environment>/<kind>".
Exit codes: 0 ok, 1 error (e.g. keychain unavailable), 2 bad arguments or unknown environment, 3 authentication failed (env test).`;

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
  const saved = await keychainService(ctx).create(input);
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
  const common = { name, description: v.description, model: Object.keys(model).length ? model : undefined }; // the schema fills in the rest (MODEL_DEFAULTS)
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

/** NAME and the kind of secret, never echoing either (a mistyped command line may hold the secret itself). */
function secretArgs(args: string[], sub: string): { name: string; kind: SecretKind } {
  const { positionals } = parse(args, {});
  if (positionals.length > 2) {
    throw new UsageError(`env ${sub} takes only NAME and the kind of secret. The secret itself is never accepted as an argument (command lines are visible to other users in \`ps\` and are saved in shell history): pipe it on stdin or type it at the hidden prompt.`);
  }
  const [name, kindArg] = positionals;
  if (!name || !kindArg) throw new UsageError(`env ${sub} needs NAME and the kind of secret: client-secret or api-key`);
  const kind = SecretKind.safeParse(kindArg);
  if (!kind.success) throw new UsageError(`the kind of secret must be one of: ${SECRET_KINDS.join(', ')}`);
  if (isReservedName(name)) throw new EnvironmentInputError('reserved', `the built-in "${DEMO_ENV}" environment makes up its credentials per run: it has no secrets to set`);
  return { name, kind: kind.data };
}

/** Whether NAME exists, said without echoing it (see secretArgs). */
async function requireUnnamed(ctx: Ctx, name: string): Promise<void> {
  if (!(await ctx.store.get(name).catch(() => undefined))) {
    throw new EnvironmentInputError('not-found', 'no environment with that name (add it first with "env add")');
  }
}

async function setSecret(ctx: Ctx, args: string[]): Promise<number> {
  const { name, kind } = secretArgs(args, 'set-secret');
  await requireUnnamed(ctx, name);
  // Resolve the store first: nobody should type a secret only to learn the keychain is missing.
  const store = await secretStore(ctx);
  const stdin = ctx.io.stdin as RawTty;
  const value = stdin.isTTY
    ? await promptHidden(stdin, ctx.io.stderr, `${kind} for "${name}" (input hidden): `, { signal: ctx.io.signal, what: kind })
    : await readSecretFromPipe(ctx.io.stdin, { signal: ctx.io.signal, what: kind });
  await serviceOver(ctx, store).setSecret(name, kind, value);
  line(ctx.io.stderr, `stored the ${kind} of "${name}" in the OS keychain (service ${KEYCHAIN_SERVICE}, account ${secretAccount(name, kind)})`);
  return EXIT.ok;
}

async function clearSecret(ctx: Ctx, args: string[]): Promise<number> {
  const { name, kind } = secretArgs(args, 'clear-secret');
  await requireUnnamed(ctx, name);
  const had = await keychainService(ctx).clearSecret(name, kind);
  line(ctx.io.stderr, had ? `removed the ${kind} of "${name}" from the OS keychain` : `"${name}" had no ${kind} in the OS keychain`);
  return EXIT.ok;
}

function twoNames(args: string[], sub: string): [string, string] {
  const { positionals } = parse(args, {});
  if (positionals.length !== 2) throw new UsageError(`env ${sub} takes exactly two names: NAME NEW-NAME`);
  return [positionals[0]!, positionals[1]!];
}

async function rename(ctx: Ctx, args: string[]): Promise<number> {
  const [name, newName] = twoNames(args, 'rename');
  const env = await requireEnv(ctx, name, 'rename');
  const saved = await keychainService(ctx).update(name, { ...env, name: newName });
  line(ctx.io.stderr, `renamed environment "${name}" to "${saved.name}"`);
  return EXIT.ok;
}

async function duplicate(ctx: Ctx, args: string[]): Promise<number> {
  const [name, newName] = twoNames(args, 'duplicate');
  const { environment, notice } = await keychainService(ctx).duplicate(name, newName);
  line(ctx.io.stderr, `duplicated environment "${name}" as "${environment.name}" (${environment.kind}, ${where(environment)})`);
  if (notice) line(ctx.io.stderr, `warning: ${notice}`);
  return EXIT.ok;
}

async function remove(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'keep-secrets': { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('env remove takes exactly one environment NAME');
  const name = positionals[0]!;
  const keepSecrets = values['keep-secrets'] === true;
  let result;
  try {
    result = await keychainService(ctx).remove(name, { keepSecrets });
  } catch (err) {
    if (!(err instanceof SecretsStuckError)) throw err;
    line(ctx.io.stderr, `error: ${err.message}\nfix: ${err.keychain.fix}`);
    line(ctx.io.stderr, `or remove only the settings with --keep-secrets (any keychain entries stay: service ${KEYCHAIN_SERVICE}, accounts ${SECRET_KINDS.map((k) => secretAccount(name, k)).join(', ')})`);
    return EXIT.error;
  }
  const removed = result.secretsRemoved;
  const what = keepSecrets ? '; its keychain entries were kept (--keep-secrets)' : removed.length ? ` and its ${removed.join(' and ')} from the keychain` : ' (it had no secrets in the keychain)';
  line(ctx.io.stderr, `removed environment "${name}"${what}`);
  return EXIT.ok;
}

async function test(ctx: Ctx, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('env test takes exactly one environment NAME');
  const name = positionals[0]!;
  // The demo makes up its credentials per run; a stored environment reads the user's.
  const environment = isReservedName(name) ? undefined : await requireEnv(ctx, name, 'test');
  const secrets = environment ? await secretStore(ctx) : undefined;
  if (secrets && environment?.kind === 'gateway') {
    // Read here first so a locked keychain is reported with its fix, and a missing secret before any
    // request is made (throws KeychainUnavailableError, handled below).
    if ((await secrets.get(name, 'client-secret')) === undefined) {
      line(ctx.io.stderr, `error: no client-secret stored for "${name}": run "npm run cli -- env set-secret ${name} client-secret" (or pass it per run with --secret-from-env)`);
      return EXIT.error;
    }
  }
  const report = await (secrets ? serviceOver(ctx, secrets) : keychainService(ctx)).test(name, ctx.io.signal);
  for (const l of report.lines) line(ctx.io.stdout, l);
  if (report.ok) return EXIT.ok;
  if (report.error) line(ctx.io.stderr, `error: ${report.error}`);
  return report.cause === 'auth' || report.cause === 'forbidden' ? EXIT.auth : EXIT.error;
}

const SUBCOMMANDS: Record<string, (ctx: Ctx, args: string[]) => Promise<number>> = {
  list, show, add, rename, duplicate, 'set-secret': setSecret, 'clear-secret': clearSecret, remove, test,
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
      line(io.stderr, `error: ${err.message}${err.code === 'not-found' ? ': see "npm run cli -- env list"' : ''}`);
      return EXIT.usage;
    }
    if (err instanceof SecretInputError) {
      line(io.stderr, `error: ${err.message}`);
      return EXIT.usage;
    }
    if (err instanceof SecretsStuckError) {
      line(io.stderr, `error: ${err.message}\nfix: ${err.keychain.fix}`);
      return EXIT.error;
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
