// Starts a real simulator on a free loopback port with made-up credentials, for tests.
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import { GatewayEnvironment, SocketEndpointEnvironment } from '../../shared/environment';
import { createSimulator } from '../../electron/core/simulator';
import type { Simulator, SimulatorOptions } from '../../electron/core/simulator/types';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';
import { createChanges } from './until';
import type { SecretStore } from '../../electron/core/secrets/secret-store';

export interface TestPeer {
  sim: Simulator;
  creds: { clientId: string; clientSecret: string; urlToken: string; apiKey: string };
  gatewayEnv: GatewayEnvironment;
  socketEnv: SocketEndpointEnvironment;
  secrets: SecretStore;
}

export async function startPeer(opts: Partial<SimulatorOptions> = {}): Promise<TestPeer> {
  const creds = {
    clientId: 'test-client',
    clientSecret: `secret-${randomBytes(12).toString('hex')}`,
    urlToken: `url-${randomBytes(8).toString('hex')}`,
    apiKey: `key-${randomBytes(12).toString('hex')}`,
  };
  const sim = await createSimulator({ port: 0, speed: 0, ...creds, ...opts });
  const gatewayEnv = GatewayEnvironment.parse({
    name: 'sim-gw',
    kind: 'gateway',
    gateway: { host: `127.0.0.1:${sim.port}`, clientId: creds.clientId, dialogId: 'dialog-1' },
  });
  const socketEnv = SocketEndpointEnvironment.parse({
    name: 'sim-sock',
    kind: 'socket-endpoint',
    socketEndpoint: { endpointUrl: `${sim.url}/${creds.urlToken}`, urlToken: creds.urlToken, apiUrl: sim.url, userId: 'user-1' },
  });
  const secrets = createMemoryStore({
    'sim-gw': { 'client-secret': creds.clientSecret },
    'sim-sock': { 'api-key': creds.apiKey },
  });
  return { sim, creds, gatewayEnv, socketEnv, secrets };
}

/**
 * Opens a real Socket Endpoint session (`sessionId` as `userId`) on the simulator and waits for its
 * `endpoint-ready`, then leaves: the simulator has now seen that user in that session, so a context inject
 * naming them is one into a live conversation. Bounded: rejects after `ms`.
 */
export async function seeEndpointSession(sim: Simulator, urlToken: string, sessionId: string, userId: string, ms = 5_000): Promise<void> {
  const socket = io(sim.url, { path: sim.socketPath, query: { urlToken, sessionId, userId }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no endpoint-ready for session "${sessionId}" within ${ms} ms`)), ms);
      socket.once('endpoint-ready', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } finally {
    socket.close();
  }
}

/** Waits until `check(sim.stats)` holds, re-checking on every counter change (no timer but the bound). */
export async function statsUntil(sim: Simulator, check: (s: Simulator['stats']) => boolean, what: string, ms = 10_000): Promise<void> {
  const changes = createChanges();
  const off = sim.onStatsChange(() => changes.notify());
  try {
    await changes.until(() => check(sim.stats), what, ms);
  } finally {
    off();
  }
}
