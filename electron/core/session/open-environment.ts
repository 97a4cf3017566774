// Opens an environment by name for a run: the built-in `demo` starts the simulator in-process on a free
// loopback port with credentials made up per run (memory only, so it works without any keychain); any other
// name is read from the environment store, with secrets from the keychain (or the opted-in fallback).
import { randomBytes } from 'node:crypto';
import { DEMO_ENV, GatewayEnvironment, SocketEndpointEnvironment, requiredSecrets, type Environment } from '../../../shared/environment';
import type { ScenarioName } from '../../../shared/scenarios';
import { DEMO_DESCRIPTION, demoEnvironment, isReservedName } from '../environments/demo';
import { createEnvironmentStore } from '../environments/environment-store';
import { createMemoryStore } from '../secrets/memory-store';
import { createDeferredStore, resolveSecretStore } from '../secrets/resolve-secret-store';
import { withBindings } from '../secrets/secret-binding';
import type { SecretStore } from '../secrets/secret-store';
import { createSimulator } from '../simulator';
import type { Simulator, SimulatorOptions } from '../simulator/types';

export interface OpenEnvironmentOptions {
  dataDir: string;
  /** Secret store for stored environments; resolved (keychain first) when absent. */
  secrets?: SecretStore;
  allowEnvFallback?: boolean;
  processEnv?: NodeJS.ProcessEnv;
  /** Demo only: the simulator's default scenario and speed. */
  scenario?: ScenarioName;
  speed?: number;
  /** Demo only: extra simulator options (tests). */
  simulator?: Partial<SimulatorOptions>;
}

export interface OpenedEnvironment {
  environment: Environment;
  secrets: SecretStore;
  builtIn: boolean;
  /** The in-process simulator behind the demo. */
  simulator?: Simulator;
  /** Demo only: the simulator's Socket Endpoint as an environment (what the tap sits in front of). */
  socketEndpoint?: SocketEndpointEnvironment;
  close(): Promise<void>;
}

const made = () => randomBytes(18).toString('base64url');

/** Starts the in-process simulator and returns the demo environment pointing at it. */
export async function openDemo(opts: Pick<OpenEnvironmentOptions, 'scenario' | 'speed' | 'simulator'> = {}): Promise<OpenedEnvironment> {
  const creds = { clientId: 'demo-client', clientSecret: made(), urlToken: made(), apiKey: made() };
  const simulator = await createSimulator({ port: 0, ...creds, scenario: opts.scenario, speed: opts.speed ?? 1, ...opts.simulator });
  const listed = demoEnvironment();
  const environment = GatewayEnvironment.parse({
    ...listed,
    gateway: { ...listed.gateway, host: `127.0.0.1:${simulator.port}`, clientId: creds.clientId, dialogId: 'demo-dialog' },
  });
  return {
    environment,
    secrets: createMemoryStore({ [DEMO_ENV]: { 'client-secret': creds.clientSecret, 'api-key': creds.apiKey } }),
    builtIn: true,
    simulator,
    socketEndpoint: SocketEndpointEnvironment.parse({
      name: DEMO_ENV,
      kind: 'socket-endpoint',
      description: DEMO_DESCRIPTION,
      model: listed.model,
      socketEndpoint: { endpointUrl: `${simulator.url}/${creds.urlToken}`, urlToken: creds.urlToken },
    }),
    close: () => simulator.close(),
  };
}

export class UnknownEnvironmentError extends Error {
  override name = 'UnknownEnvironmentError';
}

/** A stored environment's settings by name, without touching the keychain; UnknownEnvironmentError when there is none. */
export async function loadStoredEnvironment(name: string, dataDir: string): Promise<Environment> {
  const store = createEnvironmentStore(dataDir);
  const environment = await store.get(name);
  if (!environment) {
    // The store lists the built-in demo too: each name once.
    const known = [...new Set([DEMO_ENV, ...(await store.list()).map((e) => e.name)])];
    throw new UnknownEnvironmentError(
      `unknown environment "${name}" (known: ${known.join(', ')}): add it with "npm run cli -- env add ${name} ..." or use --env demo`,
    );
  }
  return environment;
}

export async function openEnvironment(name: string, opts: OpenEnvironmentOptions): Promise<OpenedEnvironment> {
  if (isReservedName(name)) return openDemo(opts);
  const environment = await loadStoredEnvironment(name, opts.dataDir);
  const resolve = async () => withBindings(await resolveSecretStore({ allowEnvFallback: opts.allowEnvFallback, env: opts.processEnv }), opts.dataDir);
  // An environment that needs no secret streams without a keychain: the store is only looked for if asked.
  const secrets = opts.secrets ?? (requiredSecrets(environment).length ? await resolve() : withBindings(createDeferredStore(resolve), opts.dataDir));
  return { environment, secrets, builtIn: false, close: async () => undefined };
}
