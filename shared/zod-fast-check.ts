// A fast path in front of zod for values checked by the thousand: the cassette reader's event lines (every
// token writes three) and the event batches the window receives (issue 13: zod cost as much as JSON.parse
// itself, ~13% of a replay's CPU, and ~10% of the renderer's main thread at 20,000 tokens/s).
// A checker compiled once from the zod schema itself — so the schema stays the one place that says what a
// value may hold — for the small subset of zod those events use (objects, strings with length bounds,
// numbers with int and bound checks, booleans, literals, enums, arrays, optionals, discriminated unions). It only ever answers "valid, and this is
// what zod would return" or "don't know": a value it does not accept (a wrong field, a field it does not
// know, a construct it does not compile) goes to zod, which then accepts it or names the issue exactly as
// before.
// Two ways to answer: a copy with zod's fields in zod's key order (the reader: what it returns is written
// again), or `reuse`: the value itself when it holds no key zod would strip (the window: no copy per event).
// The compiled form is a tree of same-shaped nodes walked by one function (not a closure per field: the
// calls of a closure tree are megamorphic and cost 4x a hand-written check; this walk is close to one).
import type { z } from 'zod';

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

function defOf(schema: unknown): Def {
  return (schema as Schema)._zod.def;
}

const STR = 0;
const BOOL = 1;
const NUM = 2;
const LIT = 3;
const ENUM = 4;
const ARR = 5;
const OBJ = 6;
const UNION = 7;

/** One compiled schema; every node has every field, so the walk reads one object shape. */
interface Node {
  kind: number;
  /** NUM: bounds, and whether a safe integer is required; STR: bounds of the length. */
  lo: number;
  loIncl: boolean;
  hi: number;
  hiIncl: boolean;
  int: boolean;
  /** LIT: the value; ENUM: the values. */
  lit: unknown;
  values: ReadonlySet<unknown> | null;
  /** ARR: the element. */
  el: Node | null;
  /** OBJ: the shape in zod's key order, which keys are optional, and the set of them. */
  keys: string[];
  nodes: Node[];
  optional: boolean[];
  known: ReadonlySet<string> | null;
  /** UNION: the discriminator key, and the compiled option per tag (a tag not in it: zod decides). */
  tag: string;
  byTag: ReadonlyMap<unknown, Node> | null;
}

function node(kind: number, p: Partial<Node> = {}): Node {
  return { kind, lo: -Infinity, loIncl: true, hi: Infinity, hiIncl: true, int: false, lit: undefined, values: null, el: null, keys: [], nodes: [], optional: [], known: null, tag: '', byTag: null, ...p };
}

/** A number schema's checks; undefined when one is a check this does not know (zod does it). */
function numberNode(def: Def): Node | undefined {
  const n = node(NUM);
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'number_format' && d.format === 'safeint') n.int = true;
    else if (d.check === 'greater_than' && typeof d.value === 'number' && d.value >= n.lo) [n.lo, n.loIncl] = [d.value, d.inclusive === true];
    else if (d.check === 'less_than' && typeof d.value === 'number' && d.value <= n.hi) [n.hi, n.hiIncl] = [d.value, d.inclusive === true];
    else return undefined;
  }
  return n;
}

/** A string schema's length bounds; undefined when it has another check (a pattern, a format: zod does it). */
function stringNode(def: Def): Node | undefined {
  const n = node(STR, { lo: 0, hi: Infinity });
  for (const c of def.checks ?? []) {
    const d = c._zod.def as { check: string; minimum?: unknown; maximum?: unknown };
    if (d.check === 'min_length' && typeof d.minimum === 'number') n.lo = Math.max(n.lo, d.minimum);
    else if (d.check === 'max_length' && typeof d.maximum === 'number') n.hi = Math.min(n.hi, d.maximum);
    else return undefined;
  }
  return n;
}

/** Compiles a value schema; undefined when it uses anything beyond the subset (then zod does it all). */
function compile(schema: unknown): Node | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringNode(def);
    case 'boolean':
      return def.checks?.length ? undefined : node(BOOL);
    case 'number':
      return numberNode(def);
    case 'literal': {
      const values = def.values ?? [];
      if (values.length !== 1 || !['string', 'number', 'boolean'].includes(typeof values[0])) return undefined;
      return node(LIT, { lit: values[0] });
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      if (![...values].every((x) => typeof x === 'string')) return undefined;
      return node(ENUM, { values });
    }
    case 'array': {
      if (def.checks?.length || !def.element) return undefined;
      const el = compile(def.element);
      return el && node(ARR, { el });
    }
    case 'object':
      return compileObject(def);
    case 'union':
      return compileUnion(def);
    default:
      return undefined;
  }
}

/** An object of the default (stripping) kind; strict and passthrough objects (a catchall) are left to zod. */
function compileObject(def: Def): Node | undefined {
  if (def.checks?.length || !def.shape || def.catchall) return undefined;
  const n = node(OBJ);
  for (const [key, s] of Object.entries(def.shape)) {
    const d = defOf(s);
    const opt = d.type === 'optional';
    const inner = compile(opt ? d.innerType : s);
    if (!inner) return undefined;
    n.keys.push(key);
    n.nodes.push(inner);
    n.optional.push(opt);
  }
  n.known = new Set(n.keys);
  return n;
}

/** A discriminated union of objects: the options it can compile, by their tag; the others are zod's. */
function compileUnion(def: Def): Node | undefined {
  if (!def.discriminator) return undefined;
  const byTag = new Map<unknown, Node>();
  for (const option of def.options ?? []) {
    const tag = defOf(option).shape?.[def.discriminator];
    if (!tag || defOf(tag).type !== 'literal' || defOf(tag).values?.length !== 1) continue;
    const n = compile(option);
    if (n) byTag.set(defOf(tag).values![0], n);
  }
  return node(UNION, { tag: def.discriminator, byTag });
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether zod accepts `v` as `n` describes, surely. `reuse`: also no key zod would strip and a plain
 * prototype (another could make reads differ from zod's view), and an optional key may be present as
 * undefined ("not set", as zod reads it). Otherwise extra keys are fine (the copy leaves them out), and a
 * key present as undefined is left to zod.
 */
function ok(n: Node, v: unknown, reuse: boolean): boolean {
  switch (n.kind) {
    case STR:
      return typeof v === 'string' && v.length >= n.lo && v.length <= n.hi;
    case BOOL:
      return typeof v === 'boolean';
    case NUM:
      // zod's number refuses NaN and ±Infinity (JSON has neither, but a caller might pass them).
      return typeof v === 'number' && (n.int ? Number.isSafeInteger(v) : Number.isFinite(v)) && (n.loIncl ? v >= n.lo : v > n.lo) && (n.hiIncl ? v <= n.hi : v < n.hi);
    case LIT:
      return v === n.lit;
    case ENUM:
      return n.values!.has(v);
    case ARR: {
      if (!Array.isArray(v)) return false;
      if (reuse) {
        // An array can carry a named property too (structured clone keeps it); zod's copy would not.
        if (Object.getPrototypeOf(v) !== Array.prototype || Object.keys(v).length !== v.length) return false;
      }
      const el = n.el!;
      for (let i = 0; i < v.length; i++) if (!ok(el, v[i], reuse)) return false;
      return true;
    }
    case UNION: {
      const option = isPlain(v) ? n.byTag!.get(v[n.tag]) : undefined;
      return option !== undefined && ok(option, v, reuse);
    }
    default: {
      if (!isPlain(v)) return false;
      if (reuse) {
        if (Object.getPrototypeOf(v) !== Object.prototype) return false;
        const known = n.known!;
        for (const key in v) if (!known.has(key)) return false;
      }
      const { keys, nodes, optional } = n;
      for (let i = 0; i < keys.length; i++) {
        const x = v[keys[i]!];
        if (x === undefined) {
          if (!optional[i] || (!reuse && Object.hasOwn(v, keys[i]!))) return false;
        } else if (!ok(nodes[i]!, x, reuse)) return false;
      }
      return true;
    }
  }
}

const UNSURE = undefined;

/**
 * zod's output for `v` in one walk (objects rebuilt with the shape's keys in its order, others left out), or
 * UNSURE: what `ok` without `reuse` accepts, copied.
 */
function take(n: Node, v: unknown): unknown {
  switch (n.kind) {
    case ARR: {
      if (!Array.isArray(v)) return UNSURE;
      const el = n.el!;
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const x = take(el, v[i]);
        if (x === UNSURE) return UNSURE;
        out.push(x);
      }
      return out;
    }
    case OBJ: {
      if (!isPlain(v)) return UNSURE;
      const { keys, nodes, optional } = n;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const x = v[key];
        if (x === undefined) {
          if (!optional[i] || Object.hasOwn(v, key)) return UNSURE;
          continue;
        }
        const y = take(nodes[i]!, x);
        if (y === UNSURE) return UNSURE;
        out[key] = y;
      }
      return out;
    }
    case UNION: {
      const option = isPlain(v) ? n.byTag!.get(v[n.tag]) : undefined;
      return option === undefined ? UNSURE : take(option, v);
    }
    default:
      return ok(n, v, false) ? v : UNSURE;
  }
}

export interface FastCheckOptions {
  /** Answer with the value itself (no copy): only when it has no key outside its schema and a plain prototype. */
  reuse?: boolean;
}

/**
 * A fast checker for `schema`: zod's output for a value it is sure about, else undefined (ask zod). A schema
 * (or a part of one: a union's option) it cannot compile is always left to zod.
 */
export function compileFastCheck<T>(schema: z.ZodType<T>, opts: FastCheckOptions = {}): (v: unknown) => T | undefined {
  const n = compile(schema);
  if (!n) return () => undefined;
  if (opts.reuse === true) return (v) => (ok(n, v, true) ? (v as T) : undefined);
  return (v) => take(n, v) as T | undefined;
}
