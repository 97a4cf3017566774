// Option parsing shared by the commands: strict parseArgs with usage errors, and the options every command
// that runs turns understands (environment, scenario, speed, policy, idle timeout, sync, secret fallback).
// Loads no schema (--scenario is scenario-option's), so that `filter` starts without zod (issue 13).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Every command's `-h` / `--help`: its usage on stdout, nothing run. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** The options of every command that runs turns against an environment. */
export const SESSION_OPTIONS = {
  env: { type: 'string' },
  scenario: { type: 'string' },
  speed: { type: 'string' },
  policy: { type: 'string' },
  'idle-timeout': { type: 'string' },
  'no-sync': { type: 'boolean', default: false },
  'secret-from-env': { type: 'boolean', default: false },
  ...HELP_OPTION,
} as const;

/** Strict parseArgs; an unknown or malformed option is a UsageError (exit 2). */
export function parseOptions<O extends Options, P extends boolean = false>(argv: string[], options: O, allowPositionals?: P) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: allowPositionals ?? false });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** What a numeric option accepts; the error message is built from it, so rule and message cannot drift. */
export interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound ("seconds > 0"). */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Whole numbers only, written as digits. */
  integer?: boolean;
  /** What the number is, for the message: "seconds"; default "a number". */
  unit?: string;
  /** Appended to the message in parentheses: "0 = as fast as possible". */
  hint?: string;
}

function describeRule(r: NumberRule): string {
  const what = r.unit ?? 'a number';
  const text =
    r.integer && r.min !== undefined && r.max !== undefined
      ? `an integer ${r.min}..${r.max}`
      : r.integer && r.min !== undefined
        ? `a whole number of at least ${r.min}`
        : r.min !== undefined && r.max !== undefined
          ? `${what} between ${r.min} and ${r.max}`
          : r.above !== undefined
            ? `${what} > ${r.above}`
            : r.min !== undefined
              ? `${what} ≥ ${r.min}`
              : what;
  return r.hint ? `${text} (${r.hint})` : text;
}

/** The one parser of numeric options: `undefined` when absent, a UsageError naming the flag and the rule otherwise. */
export function parseNumber(v: string | undefined, flag: string, rule: NumberRule): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  const ok =
    v.trim() !== '' &&
    Number.isFinite(n) &&
    (!rule.integer || /^\d+$/.test(v)) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.above === undefined || n > rule.above) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) throw new UsageError(`${flag} must be ${describeRule(rule)}, got "${v}"`);
  return n;
}

export function parseSpeed(v: string | undefined): number | undefined {
  return parseNumber(v, '--speed', { min: 0, hint: '0 = as fast as possible' });
}

/** Seconds → ms, for `--idle-timeout`, `--heartbeat` and the like. */
export function parseSeconds(v: string | undefined, flag: string): number | undefined {
  const s = parseNumber(v, flag, { above: 0, unit: 'seconds' });
  return s === undefined ? undefined : Math.round(s * 1000);
}

/** `--port N`; absent = `fallback` when given, else required. */
export function parsePort(v: string | undefined, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  return parseNumber(v ?? '', '--port', { integer: true, min: 0, max: 65535 }) as number;
}

export function requireEnv(env: string | undefined): string {
  if (!env) throw new UsageError('--env NAME is required (try --env demo)');
  return env;
}
