// The built-in `demo` environment: the simulator in-process on a free loopback port, credentials made up per
// run in memory. It has no file and no keychain entries; this is only its description for listings. The
// session layer (openEnvironment) fills in the real host and secrets per run. Must never be persisted.
import { DEMO_ENV, GatewayEnvironment, MODEL_DEFAULTS } from '../../../shared/environment';

export const DEMO_DESCRIPTION = 'built-in: runs the simulator in-process on a free loopback port with credentials made up per run (no setup, no keychain)';

/** True for `demo` in any letter case: the name is reserved so `--env Demo` can never mean something else. */
export function isReservedName(name: string): boolean {
  return name.toLowerCase() === DEMO_ENV;
}

/** The demo as listings show it; host 127.0.0.1 without a port because the port is chosen per run. */
export function demoEnvironment(): GatewayEnvironment {
  return GatewayEnvironment.parse({
    name: DEMO_ENV,
    kind: 'gateway',
    description: DEMO_DESCRIPTION,
    gateway: { host: '127.0.0.1', clientId: 'demo-client' },
    // A GPT-4o-class model: the simulator cuts and counts with o200k_base, so the estimate uses it too.
    model: { ...MODEL_DEFAULTS, model: 'gpt-4o' },
  });
}
