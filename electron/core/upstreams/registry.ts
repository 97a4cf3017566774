// Every upstream kind's descriptor, one line each. Adding a kind: a folder with its descriptor, a line
// here and one in shared/upstream-kinds.ts; the compiler names every place still missing it.
import type { Environment, EnvironmentOf } from '../../../shared/environment';
import type { UpstreamKind } from '../../../shared/events';
import type { UpstreamDescriptor } from './descriptor';
import { gatewayDescriptor } from './gateway/gateway-descriptor';
import { socketEndpointDescriptor } from './socket-endpoint/socket-endpoint-descriptor';

export const UPSTREAMS: { readonly [K in UpstreamKind]: UpstreamDescriptor<K> } = {
  gateway: gatewayDescriptor,
  'socket-endpoint': socketEndpointDescriptor,
};

/** Calls `f` with the descriptor of `env`'s kind and `env` typed as that kind (the one place that pairs them). */
export function withUpstream<R>(env: Environment, f: <K extends UpstreamKind>(d: UpstreamDescriptor<K>, env: EnvironmentOf<K>) => R): R {
  return f(UPSTREAMS[env.kind] as UpstreamDescriptor<typeof env.kind>, env);
}
