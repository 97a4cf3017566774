// The --policy option of the commands that filter: a policy file that cannot be read or parsed is a usage
// error (exit 2) naming the file and the problem. Kept apart from session-setup so that `filter` does not
// load the session engine to read a policy.
import type { Policy } from '../../shared/policy';
import { loadPolicyFile } from '../core/filters/policy-file';
import { UsageError } from './cli-io';

export async function loadPolicy(path: string | undefined): Promise<Policy | undefined> {
  if (!path) return undefined;
  try {
    return await loadPolicyFile(path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
