// What every CLI command that runs turns needs, in one place: the data dir, the environment (demo or
// stored), the filter policy, the sync service with its durable outbox, and a session engine over them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Policy } from '../../shared/policy';
import type { ScenarioName } from '../../shared/scenarios';
import { configDir } from '../core/environments/config-dir';
import { loadPolicyFile } from '../core/filters/policy-file';
import { openEnvironment, type OpenedEnvironment } from '../core/session/open-environment';
import { createSessionEngine, type SessionEngine } from '../core/session/session-engine';
import { createSyncService, senderForEnvironment, type SyncService } from '../core/session/sync-service';
import { createEnvironmentStore } from '../core/environments/environment-store';
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

export interface SessionSetup {
  opened: OpenedEnvironment;
  engine: SessionEngine;
  sync?: SyncService;
  /** The filter policy in force (from --policy or the environment), undefined = default. */
  policy?: Policy;
  dataDir: string;
  close(): Promise<void>;
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
  const opened = await openEnvironment(o.env, {
    dataDir,
    allowEnvFallback: o.allowEnvFallback,
    processEnv: o.processEnv,
    scenario: o.scenario,
    speed: o.speed,
  });
  const cleanups: Array<() => Promise<void>> = [() => opened.close()];
  try {
    const policy = await loadPolicy(o.policyPath ?? opened.environment.policyPath);
    let sync: SyncService | undefined;
    if (o.sync !== false) {
      // The demo's credentials die with the run, so its outbox does too: a temp dir, never the user's.
      const outboxDir = opened.builtIn ? await mkdtemp(join(tmpdir(), 'stream-debugger-demo-')) : dataDir;
      if (opened.builtIn) cleanups.push(() => rm(outboxDir, { recursive: true, force: true }));
      const store = createEnvironmentStore(dataDir);
      sync = createSyncService({
        dataDir: outboxDir,
        onIssue: (issue) => o.notice?.(`outbox: ${issue.message}`),
        senderFor: async (job) => {
          if (job.environment === opened.environment.name) return senderForEnvironment(opened.environment, opened.secrets, job.target);
          const env = await store.get(job.environment).catch(() => undefined);
          return env ? senderForEnvironment(env, opened.secrets, job.target) : undefined;
        },
      });
      cleanups.unshift(() => sync!.close());
      // Syncs an earlier run could not finish go out now, in the background: a job may have to wait out a
      // Retry-After; if this run ends first it simply stays in the outbox for the next one.
      if (!opened.builtIn) void sync.resumePending().catch((err: unknown) => o.notice?.(`outbox: ${(err as Error).message}`));
    }
    const engine = createSessionEngine({
      environment: opened.environment,
      secrets: opened.secrets,
      policy,
      idleTimeoutMs: o.idleTimeoutMs,
      sync,
    });
    cleanups.unshift(() => engine.close());
    return {
      opened,
      engine,
      sync,
      policy,
      dataDir,
      async close() {
        for (const c of cleanups) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of cleanups) await c().catch(() => undefined);
    throw err;
  }
}
