// The filter policy file: what the safety filter does per detector type, what it must let through, and the
// user's own detectors. Shared so the app's policy editor and the CLI validate the same way.
// This module holds the policy's types, constants and error, and loads no validator: compiling a policy
// that is already valid (the default, or one parsePolicy returned) needs nothing more, so the `filter` CLI
// starts without zod (issue 13). The schema and parsePolicy are shared/policy-schema's.
import type { z } from 'zod';
import type { CustomDetector as CustomDetectorSchema, CustomValidator as CustomValidatorSchema, Policy as PolicySchema } from './policy-schema';
import type { FilterAction } from './filter-actions';

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
/** The flags a custom detector's pattern may carry. */
export const ALLOWED_FLAGS = 'imsu';

/** A validated policy (parsePolicy's result); the schema is shared/policy-schema's. */
export type Policy = z.infer<typeof PolicySchema>;
export type CustomDetector = z.infer<typeof CustomDetectorSchema>;
export type CustomValidator = z.infer<typeof CustomValidatorSchema>;

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

export type { FilterAction };
