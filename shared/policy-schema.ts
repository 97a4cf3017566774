// The policy file's schema: parsePolicy validates a parsed JSON document as a policy. It validates shape
// and regex syntax only; compiling (and the deeper regex checks) is electron/core/filters' job.
// Errors name the JSON path and the reason; they never quote a policy value back (allow-lists may hold
// real numbers). Apart from shared/policy (types, constants, PolicyError) so that only what validates
// loads zod (issue 13).
import { z } from 'zod';
import { FILTER_ACTIONS } from './filter-actions';
import { ALLOWED_FLAGS, BUILTIN_TYPES, CUSTOM_NAME_RE, formatPath, MAX_CUSTOM_LENGTH, PolicyError, regexErrorReason, type Policy as PolicyType, type PolicyIssue } from './policy';

const actionError = { error: `must be one of ${FILTER_ACTIONS.join(', ')}` };

export const CustomValidator = z.union([
  z.literal('luhn'),
  z.literal('mod97'),
  z.object({ dictionary: z.array(z.string().min(1)).min(1, 'needs at least one word') }).strict(),
], { error: 'must be "luhn", "mod97" or {"dictionary": [...]}' });

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
export function parsePolicy(json: unknown): PolicyType {
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

