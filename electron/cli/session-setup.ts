// The CLI's view of openSession: the data dir from the process environment, and a policy file that
// cannot be read or parsed reported as a usage error (exit 2) naming the file and the problem.
import type { Policy } from '../../shared/policy';
import type { ScenarioName } from '../../shared/scenarios';
import { configDir } from '../core/environments/config-dir';
import { loadPolicyFile, PolicyFileError } from '../core/filters/policy-file';
import { openSession, type OpenedSession } from '../core/session/open-session';
import { UsageError } from './cli-io';

export interface SessionSetupOptions {
  env: string;
  processEnv: NodeJS.ProcessEnv;
  policyPath?: string;
  scenario?: ScenarioName;
  speed?: number;
  allowEnvFallback?: boolean;
  idleTimeoutMs?: number;
  sync?: boolean;
  /** Warnings for humans (stderr). */
  notice?: (text: string) => void;
}

export interface SessionSetup extends OpenedSession {
  dataDir: string;
}

export async function loadPolicy(path: string | undefined): Promise<Policy | undefined> {
  if (!path) return undefined;
  try {
    return await loadPolicyFile(path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export async function setupSession(o: SessionSetupOptions): Promise<SessionSetup> {
  const dataDir = configDir(o.processEnv);
  try {
    const s = await openSession({
      env: o.env,
      dataDir,
      allowEnvFallback: o.allowEnvFallback,
      processEnv: o.processEnv,
      scenario: o.scenario,
      speed: o.speed,
      policyPath: o.policyPath,
      idleTimeoutMs: o.idleTimeoutMs,
      sync: o.sync,
      notice: o.notice,
    });
    return { ...s, dataDir };
  } catch (err) {
    if (err instanceof PolicyFileError) throw new UsageError(err.message);
    throw err;
  }
}
