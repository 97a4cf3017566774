// Attaches a cassette writer to a session engine: every event the session emits from now on is appended
// as it happens. One call for every place that records (`record`, `stream --record`, the app's record
// toggle), so the header, the secret guard and redaction are the same everywhere.
import type { Environment } from '../../../shared/environment';
import type { CompiledPolicy } from '../filters';
import { filterText } from '../filters';
import type { SecretStore } from '../secrets/secret-store';
import type { SessionEngine } from '../session/session-engine';
import { cassetteEnvironment } from './cassette-environment';
import { createCassetteWriter, type CassetteWriter } from './cassette-writer';
import { withUpstream } from '../upstreams/registry';

export interface SessionRecorderOptions {
  engine: SessionEngine;
  path: string;
  environment: Environment;
  /** Read once for the secret guard (client secret, API key); never written. */
  secrets: SecretStore;
  /** Shareable cassette: filtered text only; inputs go through `policy`. */
  redact?: boolean;
  policy?: CompiledPolicy;
  /** The demo simulator's default scenario and speed, when recording against it. */
  scenario?: string;
  speed?: number;
  overwrite?: boolean;
  note?: string;
  onWarning?: (message: string) => void;
}

export interface SessionRecorder {
  readonly writer: CassetteWriter;
  /** Stops listening and closes the file (fsynced). Idempotent. */
  stop(): void;
}

export async function startSessionRecorder(o: SessionRecorderOptions): Promise<SessionRecorder> {
  const env = o.environment;
  const secretValues = [
    await o.secrets.get(env.name, 'client-secret').catch(() => undefined),
    await o.secrets.get(env.name, 'api-key').catch(() => undefined),
    ...withUpstream(env, (d, e) => d.confidential(e)),
  ];
  const policy = o.policy;
  const writer = createCassetteWriter({
    path: o.path,
    overwrite: o.overwrite,
    redact: o.redact,
    ...(o.redact && policy ? { filterInput: (s: string) => filterText(policy, s).output } : {}),
    secrets: secretValues,
    ...(o.onWarning ? { onWarning: o.onWarning } : {}),
    header: {
      upstream: env.kind,
      environment: cassetteEnvironment(env),
      model: env.model,
      ...(o.scenario !== undefined ? { scenario: o.scenario } : {}),
      ...(o.speed !== undefined ? { speed: o.speed } : {}),
      ...(o.note !== undefined ? { note: o.note } : {}),
    },
  });
  const unsubscribe = o.engine.subscribe((e) => writer.append(e));
  let stopped = false;
  return {
    writer,
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      writer.close();
    },
  };
}
