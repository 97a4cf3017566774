// The filter policy file: what the safety filter does per detector type, what it must let through, and the
// user's own detectors. Shared so the app's policy editor and the CLI validate the same way. It validates
// shape and regex syntax only; compiling (and the deeper regex checks) is electron/core/filters' job.
// Errors name the JSON path and the reason; they never quote a policy value back (allow-lists may hold
// real numbers).
import { z } from 'zod';
import { FILTER_ACTIONS, type FilterAction } from './filter-actions';

export const BUILTIN_TYPES = [
  'CREDIT_CARD',
  'IBAN_CODE',
  'EMAIL_ADDRESS',
  'US_SSN',
  'IP_ADDRESS',
  'PHONE_NUMBER',
  'PROFANITY',
] as const;
export type BuiltinType = (typeof BUILTIN_TYPES)[number];

/** The longest custom candidate anyone may declare: it bounds how much text a custom detector holds back. */
export const MAX_CUSTOM_LENGTH = 1000;
export const CUSTOM_NAME_RE = /^[A-Z][A-Z0-9_]{0,39}$/;
const ALLOWED_FLAGS = 'imsu';

const actionError = { error: `must be one of ${FILTER_ACTIONS.join(', ')}` };

export const CustomValidator = z.union([
  z.literal('luhn'),
  z.literal('mod97'),
  z.object({ dictionary: z.array(z.string().min(1)).min(1, 'needs at least one word') }).strict(),
], { error: 'must be "luhn", "mod97" or {"dictionary": [...]}' });
export type CustomValidator = z.infer<typeof CustomValidator>;

export const CustomDetector = z
  .object({
    name: z.string().regex(CUSTOM_NAME_RE, 'use 1-40 upper-case letters, digits or "_", starting with a letter'),
    pattern: z.string().min(1, 'must not be empty'),
    flags: z.string().optional(),
    validator: CustomValidator.optional(),
    maxLength: z
      .number({ error: (i) => (i.input === undefined ? 'required: the longest value this detector can match' : 'must be a number') })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_CUSTOM_LENGTH, `must be at most ${MAX_CUSTOM_LENGTH}`),
    action: z.enum(FILTER_ACTIONS, actionError).optional(),
  })
  .strict();
export type CustomDetector = z.infer<typeof CustomDetector>;

export const Policy = z
  .object({
    version: z.literal(1, { error: 'must be 1' }),
    actions: z.record(z.string(), z.enum(FILTER_ACTIONS, actionError)).optional(),
    allow: z
      .object({
        values: z.array(z.string().min(1, 'must not be empty')).optional(),
        domains: z
          .array(z.string().regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/, 'must be a domain name like example.com'))
          .optional(),
        patterns: z.array(z.string().min(1, 'must not be empty')).optional(),
      })
      .strict()
      .optional(),
    custom: z.array(CustomDetector).max(20, "at most 20 custom detectors").optional(),
    /** Profanity word lists by language (LDNOOBW); default ["en"]. */
    profanity: z.object({ languages: z.array(z.string().min(1)).min(1) }).strict().optional(),
  })
  .strict();
export type Policy = z.infer<typeof Policy>;

export const DEFAULT_POLICY: Policy = { version: 1 };

export interface PolicyIssue {
  /** JSON path, e.g. `custom[0].pattern`; `(root)` for the document itself. */
  path: string;
  message: string;
}

/** A policy that cannot be used. `message` lists every issue as `path: reason`. */
export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(readonly issues: PolicyIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

/** The reason from a RegExp SyntaxError without the echo of the pattern. */
export function regexErrorReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '').replace(/^Invalid flags supplied to RegExp constructor '.*'$/, 'invalid flags');
}

/** zod issues as `path: reason`, in the words every validated file uses (also the assertion format). */
export function zodIssues(error: z.ZodError): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: 'unknown field' });
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && !message.startsWith('required')) {
      // zod does not keep the input; its message says what was received (a type name, never the value).
      const received = /received (\w+)/.exec(message)?.[1];
      message = received === 'undefined' ? 'required' : `expected ${issue.expected}${received ? `, got ${received}` : ''}`;
    }
    out.push({ path: formatPath(issue.path), message });
  }
  return out;
}

/** Validates a parsed JSON document as a policy. Throws PolicyError naming every problem. */
export function parsePolicy(json: unknown): Policy {
  const parsed = Policy.safeParse(json);
  if (!parsed.success) throw new PolicyError(zodIssues(parsed.error));
  const policy = parsed.data;
  const issues: PolicyIssue[] = [];
  const builtin = new Set<string>(BUILTIN_TYPES);
  const customNames = new Set<string>();

  policy.custom?.forEach((c, i) => {
    if (builtin.has(c.name)) issues.push({ path: `custom[${i}].name`, message: `clashes with the built-in type ${c.name}` });
    else if (customNames.has(c.name)) issues.push({ path: `custom[${i}].name`, message: `duplicate name ${c.name}` });
    customNames.add(c.name);
    const flags = c.flags ?? '';
    const bad = [...flags].find((f, k) => !ALLOWED_FLAGS.includes(f) || flags.indexOf(f) !== k);
    if (bad !== undefined) {
      issues.push({ path: `custom[${i}].flags`, message: `unsupported or repeated flag "${bad}" (allowed: i, m, s, u)` });
      return;
    }
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${c.pattern})$`, flags);
      new RegExp(c.pattern, flags);
    } catch (err) {
      issues.push({ path: `custom[${i}].pattern`, message: `invalid regular expression: ${regexErrorReason(err)}` });
      return;
    }
    if (re.test('')) issues.push({ path: `custom[${i}].pattern`, message: 'must not match the empty string' });
  });

  for (const key of Object.keys(policy.actions ?? {})) {
    if (!builtin.has(key) && !customNames.has(key)) {
      issues.push({ path: `actions.${key}`, message: `unknown type (known: ${[...BUILTIN_TYPES, ...customNames].join(', ')})` });
    }
  }
  policy.allow?.patterns?.forEach((p, i) => {
    try {
      new RegExp(p);
    } catch (err) {
      issues.push({ path: `allow.patterns[${i}]`, message: `invalid regular expression: ${regexErrorReason(err)}` });
    }
  });
  if (issues.length) throw new PolicyError(issues);
  return policy;
}

export type { FilterAction };
