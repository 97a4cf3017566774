// The --policy option of the commands that filter: a policy file that cannot be read or parsed is a usage
// error (exit 2) naming the file and the problem. Kept apart from session-setup so that `filter` does not
// load the session engine to read a policy; the loader (and with it the validator, zod) is imported only
// when a file is given, so the default policy starts without it (issue 13).
import type { Policy } from '../../shared/policy';
import { UsageError } from './cli-io';

export async function loadPolicy(path: string | undefined): Promise<Policy | undefined> {
  if (!path) return undefined;
  const { loadPolicyFile } = await import('../core/filters/policy-file');
  try {
    return await loadPolicyFile(path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
