// `env list` and `env show`: what is stored, where it points and whether its secrets are set — never a
// secret. A keychain that cannot be asked is a note with its fix, not a failure: the settings still show.
import { DEMO_ENV, type Environment, type SecretKind, type SecretStatus } from '../../../shared/environment';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import type { EnvironmentListing } from '../../core/environments/environment-store';
import { withUpstream } from '../../core/upstreams/registry';
import { KeychainUnavailableError } from '../../core/secrets/keychain-errors';
import { keychainService, parse, secretStore, type Ctx } from './env-context';

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

export function printKeychainNote(io: CliIO, err: KeychainUnavailableError): void {
  line(io.stderr, `note: secrets shown as "unavailable": ${err.message}\nfix: ${err.fix}`);
}

/** The environment NAME names (the demo's description for `demo`); not-found when there is none. */
export async function requireEnv(ctx: Ctx, name: string | undefined, what: string): Promise<Environment> {
  if (!name) throw new UsageError(`env ${what} needs an environment NAME`);
  return keychainService(ctx).get(name);
}

export function where(env: Environment, builtIn = false): string {
  if (builtIn) return '127.0.0.1 (in-process simulator, port chosen per run)';
  return withUpstream(env, (d, e) => d.where(e));
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

export async function list(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError('env list takes no arguments');
  const { environments, problems } = await keychainService(ctx).scan();
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

export async function show(ctx: Ctx, args: string[]): Promise<number> {
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

