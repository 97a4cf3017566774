// The filter's entry for a policy from anywhere (a file, the app's editor, a test): validate it (zod, in
// shared/policy-schema), then compile it. Apart from compile.ts so that a caller holding a policy that is
// already valid — the `filter` CLI with the default policy — compiles without loading the validator (issue 13).
import { DEFAULT_POLICY, type Policy } from '../../../shared/policy';
import { parsePolicy } from '../../../shared/policy-schema';
import { compileValidPolicy, type CompiledPolicy } from './compile';

/** Validates (PolicyError naming every problem by JSON path) and compiles; no argument = the default policy. */
export function compilePolicy(input?: Policy): CompiledPolicy {
  return compileValidPolicy(parsePolicy(input ?? DEFAULT_POLICY));
}
