// The CLI's view of openSession: the data dir from the process environment, and a policy file that
// cannot be read or parsed reported as a usage error (exit 2) naming the file and the problem.
import type { ScenarioName } from '../../shared/scenarios';
import { configDir } from '../core/environments/config-dir';
import { PolicyFileError } from '../core/filters/policy-file';
import { openSession, type OpenedSession } from '../core/session/open-session';
import { UsageError } from './cli-io';
import { parseSeconds, parseSpeed, requireEnv } from './options';
import { parseScenario } from './scenario-option';

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

/** The shared session options as parseOptions(…, SESSION_OPTIONS) returns them. */
export interface SessionOptionValues {
  env?: string;
  scenario?: string;
  speed?: string;
  policy?: string;
  'idle-timeout'?: string;
  'no-sync'?: boolean;
  'secret-from-env'?: boolean;
}

/** Validates the shared session options (exit 2 on a bad one) into what setupSession takes. */
export function sessionOptionsFrom(values: SessionOptionValues, processEnv: NodeJS.ProcessEnv): SessionSetupOptions {
  return {
    env: requireEnv(values.env),
    processEnv,
    policyPath: values.policy,
    scenario: parseScenario(values.scenario),
    speed: parseSpeed(values.speed),
    idleTimeoutMs: parseSeconds(values['idle-timeout'], '--idle-timeout'),
    allowEnvFallback: values['secret-from-env'],
    sync: !values['no-sync'],
  };
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
