// Reads a policy file for the CLI and the app alike: one loader, so both report the same clear errors.
// Never quotes the file's content in an error (it may hold allow-listed values).
import { readFile } from 'node:fs/promises';
import type { Policy } from '../../../shared/policy';
import { parsePolicy } from '../../../shared/policy-schema';
import { jsonErrorPosition } from '../util/json-error';

export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
}

export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PolicyFileError(`cannot read policy file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PolicyFileError(`policy file ${path} is not valid JSON${jsonErrorPosition(err)}`);
  }
  try {
    return parsePolicy(json);
  } catch (err) {
    throw new PolicyFileError(`policy file ${path}: ${(err as Error).message}`);
  }
}
