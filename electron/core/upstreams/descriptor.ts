// The main-side half of an upstream kind (the shared half is shared/upstream-kinds.ts): everything the
// session, sync, connection test, secret bindings, cassettes and the CLI need to know that differs per kind.
// One descriptor per kind, in its own folder; registry.ts lists them in a Record so a kind that is not wired
// everywhere does not compile.
import type { EnvironmentOf, SecretKind } from '../../../shared/environment';
import type { UpstreamKind } from '../../../shared/events';
import type { ConnectionReport } from '../../../shared/ipc';
import type { CassetteEnvironment } from '../recording/cassette-schema';
import type { SecretStore } from '../secrets/secret-store';
import type { SyncRequest } from '../session/sync-service';
import type { SyncJob, SyncSender } from '../sync/types';
import type { GivenIdentity, SessionIdentity } from './session-identity';
import type { Upstream } from './upstream';

export type SyncJobDraft = Omit<SyncJob, 'attempts' | 'createdAt'>;

export interface UpstreamDescriptor<K extends UpstreamKind> {
  /** Who a session of this environment is upstream, decided once per dialog. */
  identity(env: EnvironmentOf<K>, given: GivenIdentity): SessionIdentity;
  /** The upstream that runs the turns of one session. */
  open(env: EnvironmentOf<K>, secrets: SecretStore, identity: SessionIdentity): Upstream;
  /** Where a whole answer is written back: the outbox job, or undefined when there is nowhere to sync to. */
  syncJob(req: SyncRequest, env: EnvironmentOf<K>): SyncJobDraft | undefined;
  /** The outbox target of this kind's jobs, and what sends them. */
  syncTarget: SyncJob['target'];
  syncSender(env: EnvironmentOf<K>, secrets: SecretStore): SyncSender;
  /** "Test connection": reports, never throws, never includes a secret. */
  testConnection(env: EnvironmentOf<K>, secrets: SecretStore, opts: { signal: AbortSignal; now: () => number }): Promise<ConnectionReport>;
  /** Where a secret of this kind may be sent (secret-binding.ts); undefined when the environment sends it nowhere. */
  secretTarget(env: EnvironmentOf<K>, kind: SecretKind): string | undefined;
  /** The host or URL it is reached at, as the CLI lists it. */
  where(env: EnvironmentOf<K>): string;
  /** Values of its settings that are as secret as a keychain secret (the URL token): never in a recording. */
  confidential(env: EnvironmentOf<K>): string[];
  /** What a cassette may keep of its settings: copied field by field, never the URL token or a secret. */
  cassette(env: EnvironmentOf<K>): Pick<CassetteEnvironment, 'gateway' | 'socketEndpoint'>;
}
