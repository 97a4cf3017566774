// The one rule for "is this request addressed to our own loopback server?" (DNS rebinding protection): a
// browser that resolved some other name to 127.0.0.1 still sends that name in Host, so only the names we
// bound are accepted. Used by every local server the product runs (tap; relay and bridge share the rule).
export const LOOPBACK_BIND = '127.0.0.1';

/** The Host header values our server on `port` answers to. */
export function ownHosts(port: number): string[] {
  return [`${LOOPBACK_BIND}:${port}`, `localhost:${port}`];
}

export function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  return ownHosts(port).includes((hostHeader ?? '').toLowerCase());
}
