// A fast path in front of zod for the lines a cassette holds by the thousand (every token writes three):
// a checker compiled once from the zod schema itself — so the schema stays the one place that says what a
// line may hold — for the small subset of zod those events use (objects, strings, numbers with int and
// bound checks, booleans, literals, enums, arrays, optionals). It only ever answers "valid, and this is
// exactly what zod would return" or "don't know": a line it does not accept (a wrong field, a field it does
// not know, a construct it does not compile) goes to zod, which then accepts it or names the issue exactly
// as before. Why: zod cost as much as JSON.parse itself, ~13% of a replay's CPU (issue 13).
import type { z } from 'zod';

/** Returns zod's output for a value it is sure about, else undefined (ask zod). */
type Check = (v: unknown) => unknown;

/** The parts of a zod v4 schema's definition this reads (`schema._zod.def`). */
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; value?: unknown; inclusive?: boolean; format?: string } } }>;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  element?: Schema;
  values?: unknown[];
  entries?: Record<string, unknown>;
  options?: Schema[];
  discriminator?: string;
}
interface Schema {
  _zod: { def: Def };
}

const UNSURE = undefined;

function defOf(schema: unknown): Def {
  return (schema as Schema)._zod.def;
}

/** A number schema's checks as one predicate; undefined when one is a check this does not know (zod does it). */
function numberCheck(def: Def): ((n: number) => boolean) | undefined {
  let lo = -Infinity;
  let loIncl = true;
  let hi = Infinity;
  let hiIncl = true;
  let int = false;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'number_format' && d.format === 'safeint') int = true;
    else if (d.check === 'greater_than' && typeof d.value === 'number' && d.value >= lo) [lo, loIncl] = [d.value, d.inclusive === true];
    else if (d.check === 'less_than' && typeof d.value === 'number' && d.value <= hi) [hi, hiIncl] = [d.value, d.inclusive === true];
    else return undefined;
  }
  const inRange = (n: number) => (loIncl ? n >= lo : n > lo) && (hiIncl ? n <= hi : n < hi);
  // zod's number refuses NaN and ±Infinity (JSON has neither, but a caller might pass them).
  return int ? (n) => Number.isSafeInteger(n) && inRange(n) : (n) => Number.isFinite(n) && inRange(n);
}

/** Compiles a value schema; undefined when it uses anything beyond the subset (then zod does it all). */
function compileValue(schema: unknown): Check | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return def.checks?.length ? UNSURE : (v) => (typeof v === 'string' ? v : UNSURE);
    case 'boolean':
      return def.checks?.length ? UNSURE : (v) => (typeof v === 'boolean' ? v : UNSURE);
    case 'number': {
      const ok = numberCheck(def);
      if (!ok) return UNSURE;
      return (v) => (typeof v === 'number' && ok(v) ? v : UNSURE);
    }
    case 'literal': {
      const values = def.values ?? [];
      if (values.length !== 1 || !['string', 'number', 'boolean'].includes(typeof values[0])) return UNSURE;
      const only = values[0];
      return (v) => (v === only ? v : UNSURE);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      if (![...values].every((x) => typeof x === 'string')) return UNSURE;
      return (v) => (values.has(v) ? v : UNSURE);
    }
    case 'array': {
      if (def.checks?.length || !def.element) return UNSURE;
      const el = compileValue(def.element);
      if (!el) return UNSURE;
      return (v) => {
        if (!Array.isArray(v)) return UNSURE;
        const out: unknown[] = [];
        for (let i = 0; i < v.length; i++) {
          const x = el(v[i]);
          if (x === UNSURE) return UNSURE;
          out.push(x);
        }
        return out;
      };
    }
    case 'object':
      return compileObject(def);
    default:
      return UNSURE;
  }
}

/**
 * An object of the default (stripping) kind: the shape's keys checked — an optional one absent or valid —
 * and copied in the shape's order, others left out: what zod returns. Strict and passthrough objects
 * (a catchall) are left to zod.
 */
function compileObject(def: Def): Check | undefined {
  if (def.checks?.length || !def.shape || def.catchall) return UNSURE;
  const keys: string[] = [];
  const checks: Check[] = [];
  const optional: boolean[] = [];
  for (const [key, s] of Object.entries(def.shape)) {
    const d = defOf(s);
    const opt = d.type === 'optional';
    const check = compileValue(opt ? d.innerType : s);
    if (!check) return UNSURE;
    keys.push(key);
    checks.push(check);
    optional.push(opt);
  }
  const n = keys.length;
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return UNSURE;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const x = o[key];
      if (x === undefined) {
        if (!optional[i] || Object.hasOwn(o, key)) return UNSURE;
        continue;
      }
      const y = checks[i]!(x);
      if (y === UNSURE) return UNSURE;
      out[key] = y;
    }
    return out;
  };
}

/**
 * A fast checker for a discriminated union of object schemas: by the discriminator's literal, the option's
 * compiled checker. Options it cannot compile are always left to zod.
 */
export function compileUnionFastCheck<T>(union: z.ZodType<T>): (v: unknown) => T | undefined {
  const def = defOf(union);
  const byTag = new Map<unknown, Check>();
  if (def.type === 'union' && def.discriminator) {
    for (const option of def.options ?? []) {
      const tag = defOf(option).shape?.[def.discriminator];
      if (!tag || defOf(tag).type !== 'literal' || defOf(tag).values?.length !== 1) continue;
      const check = compileValue(option);
      if (check) byTag.set(defOf(tag).values![0], check);
    }
  }
  const key = def.discriminator ?? '';
  return (v) => {
    if (typeof v !== 'object' || v === null) return undefined;
    const check = byTag.get((v as Record<string, unknown>)[key]);
    return check ? (check(v) as T | undefined) : undefined;
  };
}
