// Compiles a policy into the one matcher set every filter of that policy shares: detectors in priority
// order, a per-character table of which detectors can start where, the allow-list and the actions.
// Built once per policy; filters never compile anything per token. Throws PolicyError (path + reason).
// It takes a policy that is already valid (parsePolicy's result, or DEFAULT_POLICY) and loads no validator;
// compile-policy.ts is the entry that validates first.
import { BUILTIN_TYPES, PolicyError, type Policy } from '../../../shared/policy';
import { createCreditCardDetector } from './detectors/credit-card';
import { createCustomDetector } from './detectors/custom';
import { createEmailDetector } from './detectors/email';
import { createIbanDetector } from './detectors/iban';
import { createIpv4Detector, createIpv6Detector } from './detectors/ip-address';
import { createPhoneDetector } from './detectors/phone';
import { createProfanityDetector, profanityLanguages } from './detectors/profanity';
import { createSsnDetector } from './detectors/us-ssn';
import { nodeCrypto } from '../util/node-crypto';
import { compileLinear, LinearRegexError } from './linear-regex';
import { flags, WORD } from './chars';
import { LEFT_CONTEXT, type Detector, type FilterAction, type PendingRun } from './types';

export interface CompiledDetector {
  readonly detector: Detector;
  /** Copied from the detector so that the scan loop reads one object shape (monomorphic, fast). */
  readonly type: string;
  readonly detect: Detector['detect'];
  readonly startsAt: Detector['startsAt'];
  /**
   * Detector.normalize where the policy reads the canonical form (the `hash` action, allowed values), else
   * null: the scan then passes the value for it, and never calls (nor deoptimizes on) five different
   * normalizers at one call site for a policy that only masks (issue 13).
   */
  readonly normalize: ((value: string) => string) | null;
  readonly action: Exclude<FilterAction, 'off'>;
  /** Position in priority order: on equal length, the lower rank wins. */
  readonly rank: number;
  /** 2 ** rank: the detector's bit in a mask of detectors. */
  readonly bit: number;
  /** Detector.pendingRun, or null. */
  readonly run: PendingRun | null;
  /** [type], shared: what a FilterChunk reports as pending while this detector waits. */
  readonly pendingTypes: string[];
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly detectors: readonly CompiledDetector[];
  /** Detectors that may start at ASCII code c (index c), or at any non-ASCII code unit (index 128). */
  readonly startTable: readonly (readonly CompiledDetector[])[];
  /**
   * Detectors that may start inside a word (the policy's own; every built-in wants a word start), per
   * first code unit like startTable; empty when the policy has none.
   */
  readonly midWordTable: readonly (readonly CompiledDetector[])[];
  readonly hasMidWord: boolean;
  /** startTable without the plainWordNone detectors, for ASCII letters (see Detector.plainWordNone). */
  readonly plainWordTable: readonly (readonly CompiledDetector[])[];
  /** startTable without the plainRunNone detectors, for ASCII letters and digits (see Detector.plainRunNone). */
  readonly plainRunTable: readonly (readonly CompiledDetector[])[];
  /**
   * Non-zero for the ASCII code units that end a plain word: 2 where no detector starts either (space,
   * most punctuation: the scan passes the word and it in one step), 1 where one may.
   */
  readonly plainTerminator: Uint8Array;
  /**
   * The plainWordPrefixes of the detectors left in plainWordTable at a letter, or'ed: 0 where none of them
   * can find anything at a plain word starting so. Null when one of them gives none, or when the policy
   * has detectors of its own (they may start inside the word).
   */
  readonly plainWordPrefixes: Uint8Array | null;
  readonly actions: Readonly<Record<string, FilterAction>>;
  isAllowed(type: string, value: string, normalized: string): boolean;
  /** Salt of `hash` pseudonyms when a filter is given none: random per policy, '' when no action hashes. */
  readonly defaultSalt: string;
  /** Upper bound of what a filter ever holds back. */
  readonly maxHoldback: number;
  readonly leftContext: number;
}

/**
 * Compiles a policy parsePolicy has validated (compilePolicy validates and compiles). Throws PolicyError for
 * what only compiling finds: a custom pattern that is not linear, an unknown profanity language, too many
 * detectors.
 */
export function compileValidPolicy(policy: Policy): CompiledPolicy {
  const customByName = new Map((policy.custom ?? []).map((c) => [c.name, c]));
  const actionOf = (type: string): FilterAction => policy.actions?.[type] ?? customByName.get(type)?.action ?? 'mask';

  const builtins: Record<(typeof BUILTIN_TYPES)[number], () => Detector[]> = {
    CREDIT_CARD: () => [createCreditCardDetector()],
    IBAN_CODE: () => [createIbanDetector()],
    US_SSN: () => [createSsnDetector()],
    EMAIL_ADDRESS: () => [createEmailDetector()],
    IP_ADDRESS: () => [createIpv4Detector(), createIpv6Detector()],
    PHONE_NUMBER: () => [createPhoneDetector()],
    PROFANITY: () => [createProfanityDetector(profanityLangs(policy))],
  };

  // Priority on equal length: the user's own detectors, then the specific checksummed types, then phone,
  // then profanity.
  const ordered: Detector[] = [];
  policy.custom?.forEach((c, i) => {
    if (actionOf(c.name) === 'off') return;
    try {
      ordered.push(createCustomDetector(c));
    } catch (err) {
      if (err instanceof LinearRegexError) throw new PolicyError([{ path: `custom[${i}].pattern`, message: err.message }]);
      throw err;
    }
  });
  for (const type of ['CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'EMAIL_ADDRESS', 'IP_ADDRESS', 'PHONE_NUMBER', 'PROFANITY'] as const) {
    if (actionOf(type) !== 'off') ordered.push(...builtins[type]());
  }

  const allowsValues = (policy.allow?.values?.length ?? 0) > 0;
  const detectors: CompiledDetector[] = ordered.map((detector, rank) => ({
    detector,
    type: detector.type,
    detect: detector.detect,
    startsAt: detector.startsAt,
    normalize: allowsValues || actionOf(detector.type) === 'hash' ? (detector.normalize ?? null) : null,
    action: actionOf(detector.type) as Exclude<FilterAction, 'off'>,
    rank,
    bit: 2 ** rank,
    run: detector.pendingRun ?? null,
    pendingTypes: Object.freeze([detector.type]) as unknown as string[],
  }));
  if (detectors.length > 31) throw new PolicyError([{ path: 'custom', message: `too many detectors (${detectors.length}); at most 31 including the built-in ones` }]);
  const plainTerminator = new Uint8Array(128);
  // Not a letter, digit, '_', '@', '.', '%', '+', '-' or ':' (by code: this runs at every start-up).
  for (let c = 0; c < 128; c++) plainTerminator[c] = flags(c) & WORD || c === 64 || c === 46 || c === 37 || c === 43 || c === 45 || c === 58 ? 0 : 1;

  // Candidate lists per first code unit, in the order the scan asks them: the detector that most often has
  // to wait (e-mail: any word could still grow an '@') first, then by rank. The scan stops asking at the
  // first one that waits, so a growing word costs one call per token (priority stays by rank).
  const askOrder = (a: CompiledDetector, b: CompiledDetector) =>
    (a.type === 'EMAIL_ADDRESS' ? -1 : 0) - (b.type === 'EMAIL_ADDRESS' ? -1 : 0) || a.rank - b.rank;
  const asked = [...detectors].sort(askOrder);
  const startTable: CompiledDetector[][] = [];
  for (let c = 0; c < 128; c++) startTable.push(asked.filter((d) => d.detector.startsAt(c)));
  const plainWordTable = startTable.map((list) => list.filter((d) => !d.detector.plainWordNone && !d.detector.plainRunNone));
  const plainRunTable = startTable.map((list) => list.filter((d) => !d.detector.plainRunNone));
  startTable.push(asked); // non-ASCII: each detector's startsAt decides per code unit
  for (let c = 0; c < 128; c++) if (plainTerminator[c] === 1 && startTable[c]!.length === 0) plainTerminator[c] = 2;
  const customNames = new Set(customByName.keys());
  const wordDetectors = new Set<Detector>();
  for (let c = 65; c <= 122; c++) if (c <= 90 || c >= 97) for (const d of plainWordTable[c]!) wordDetectors.add(d.detector);

  const actions: Record<string, FilterAction> = {};
  for (const t of [...BUILTIN_TYPES, ...customByName.keys()]) actions[t] = actionOf(t);

  return {
    policy,
    detectors,
    startTable,
    midWordTable: startTable.map((list) => list.filter((d) => customNames.has(d.type))),
    hasMidWord: detectors.some((d) => customNames.has(d.type)),
    plainWordTable,
    plainRunTable,
    plainTerminator,
    plainWordPrefixes: customNames.size > 0 ? null : plainPrefixes([...wordDetectors]),
    actions,
    isAllowed: allowList(policy),
    // Only a policy that hashes needs a key (and node:crypto, which the default policy never loads).
    defaultSalt: Object.values(actions).includes('hash') ? nodeCrypto().randomBytes(16).toString('hex') : '',
    maxHoldback: Math.max(0, ...detectors.map((d) => d.detector.maxLookahead)) + 1,
    leftContext: LEFT_CONTEXT,
  };
}

function plainPrefixes(wordDetectors: readonly Detector[]): Uint8Array | null {
  if (wordDetectors.some((d) => !d.plainWordPrefixes)) return null;
  if (wordDetectors.length === 1) return wordDetectors[0]!.plainWordPrefixes!;
  const table = new Uint8Array(wordDetectors[0]?.plainWordPrefixes?.length ?? 1);
  for (const d of wordDetectors) {
    const own = d.plainWordPrefixes!;
    for (let k = 0; k < table.length; k++) table[k]! |= own[k]!;
  }
  return table;
}

function profanityLangs(policy: Policy): string[] {
  const langs = policy.profanity?.languages ?? ['en'];
  const known = profanityLanguages();
  langs.forEach((l, i) => {
    if (!known.includes(l)) {
      throw new PolicyError([{ path: `profanity.languages[${i}]`, message: `unknown or unsupported language (known: ${known.join(', ')})` }]);
    }
  });
  return langs;
}

/** Allowed values (compared as typed and in canonical form), domains (e-mail), patterns (on the value). */
function allowList(policy: Policy): CompiledPolicy['isAllowed'] {
  const values = new Set<string>();
  for (const v of policy.allow?.values ?? []) {
    values.add(v);
    values.add(v.toLowerCase());
    values.add(v.replace(/[\s-]/g, '').toUpperCase());
  }
  const domains = (policy.allow?.domains ?? []).map((d) => d.toLowerCase());
  const patterns = (policy.allow?.patterns ?? []).map((p, i) => {
    try {
      return compileLinear(p);
    } catch (err) {
      if (err instanceof LinearRegexError) throw new PolicyError([{ path: `allow.patterns[${i}]`, message: err.message }]);
      throw err;
    }
  });
  if (!values.size && !domains.length && !patterns.length) return () => false;
  return (type, value, normalized) => {
    if (values.has(value) || values.has(normalized) || values.has(value.toLowerCase()) || values.has(value.replace(/[\s-]/g, '').toUpperCase())) {
      return true;
    }
    if (type === 'EMAIL_ADDRESS' && domains.length) {
      const domain = value.slice(value.lastIndexOf('@') + 1).toLowerCase();
      if (domains.some((d) => domain === d || domain.endsWith(`.${d}`))) return true;
    }
    return patterns.some((p) => p.test(value));
  };
}
