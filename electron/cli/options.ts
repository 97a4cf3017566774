// Option parsing shared by the commands: strict parseArgs with usage errors, and the options every command
// that runs turns understands (environment, scenario, speed, policy, idle timeout, sync, secret fallback).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ScenarioName, SCENARIOS } from '../../shared/scenarios';
import { UsageError } from './cli-io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options of every command that runs turns against an environment. */
export const SESSION_OPTIONS = {
  env: { type: 'string' },
  scenario: { type: 'string' },
  speed: { type: 'string' },
  policy: { type: 'string' },
  'idle-timeout': { type: 'string' },
  'no-sync': { type: 'boolean', default: false },
  'secret-from-env': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Strict parseArgs; an unknown or malformed option is a UsageError (exit 2). */
export function parseOptions<O extends Options, P extends boolean = false>(argv: string[], options: O, allowPositionals?: P) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: allowPositionals ?? false });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function parseSpeed(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--speed must be a number ≥ 0 (0 = as fast as possible), got "${v}"`);
  return n;
}

export function parseScenario(v: string | undefined): ScenarioName | undefined {
  if (v === undefined) return undefined;
  const r = ScenarioName.safeParse(v);
  if (!r.success) throw new UsageError(`unknown scenario "${v}"; valid: ${SCENARIOS.join(', ')}`);
  return r.data;
}

/** `--idle-timeout S` (seconds) → ms. */
export function parseIdleTimeout(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = Number(v);
  if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--idle-timeout must be seconds > 0, got "${v}"`);
  return s * 1000;
}

export function parsePort(v: string | undefined): number {
  const text = v ?? '';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be an integer 0..65535, got "${text}"`);
  return port;
}

export function requireEnv(env: string | undefined): string {
  if (!env) throw new UsageError('--env NAME is required (try --env demo)');
  return env;
}
