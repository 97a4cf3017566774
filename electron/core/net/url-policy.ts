// The transport policy for every upstream URL: plain http/ws only to a loopback host (the simulator, a local
// tunnel), anything else only over https/wss. Both the environment store (on add) and the upstream clients
// (before connecting) call it, so a plain-text credential can never leave the machine.
// Must never do DNS or any I/O: the decision is made on the URL text alone.

export class InsecureUrlError extends Error {
  override name = 'InsecureUrlError';
}

export class InvalidHostError extends Error {
  override name = 'InvalidHostError';
}

const SECURE = new Set(['https:', 'wss:']);
const PLAIN = new Set(['http:', 'ws:']);

/** Strips `[...]` from an IPv6 literal; leaves everything else as given. */
function bareHostname(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * True for `localhost`, any 127.0.0.0/8 address and `::1` (with or without `[]`), optionally followed by
 * `:PORT`. The host is normalised the way a URL parser does it, so `127.1` and `[0:0::1]` count and
 * `127.0.0.1.example.com` or `localhost.example.com` do not.
 */
export function isLoopbackHost(host: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  const h = bareHostname(hostname).toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Throws when the URL is not one the product may connect to: unparsable, a scheme other than
 * http/https/ws/wss, credentials in the URL, or plain http/ws to a host that is not loopback.
 * Returns the parsed URL.
 */
export function assertSecureUrl(url: string | URL, what = 'URL'): URL {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new InsecureUrlError(`${what} "${String(url)}" is not a valid absolute URL (expected e.g. https://host/path)`);
  }
  if (u.username || u.password) {
    throw new InsecureUrlError(`${what} must not contain a user name or password: keep credentials in the keychain`);
  }
  if (SECURE.has(u.protocol)) return u;
  if (PLAIN.has(u.protocol)) {
    if (isLoopbackHost(u.host)) return u;
    const secure = u.protocol === 'http:' ? 'https' : 'wss';
    throw new InsecureUrlError(
      `${what} ${u.origin} uses unencrypted ${u.protocol.slice(0, -1)}: only loopback hosts (127.0.0.1, localhost, [::1]) may; use ${secure}://${u.host}`,
    );
  }
  throw new InsecureUrlError(`${what} has unsupported scheme "${u.protocol.slice(0, -1)}": use https or wss (http/ws only for loopback hosts)`);
}

/**
 * Checks a gateway host as stored in an environment: a host name or IP literal with an optional port,
 * nothing else (no scheme, path, query or credentials). Returns it normalised (lower case).
 */
export function normalizeGatewayHost(host: string): string {
  const trimmed = host.trim();
  if (!trimmed) throw new InvalidHostError('the gateway host is empty: give it as HOST or HOST:PORT, e.g. acme.cognigy.ai');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    const hostPart = trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '';
    throw new InvalidHostError(`the gateway host must not include a scheme ("${trimmed}"): give only HOST[:PORT], e.g. ${hostPart || 'acme.cognigy.ai'}`);
  }
  // Anything the URL parser would read as path, query, fragment or user info is not part of a host.
  if (/[/?#@\\\s]/.test(trimmed)) {
    throw new InvalidHostError(`the gateway host "${trimmed}" must be only HOST[:PORT] (no path, query or user info), e.g. acme.cognigy.ai or 127.0.0.1:8080`);
  }
  try {
    new URL(`https://${trimmed}`);
  } catch {
    throw new InvalidHostError(`the gateway host "${trimmed}" is not a valid HOST[:PORT], e.g. acme.cognigy.ai or 127.0.0.1:8080`);
  }
  // Returned as given (lower-cased), not as the parser re-serialises it: it would drop ":443", which for a
  // loopback host means http on port 80 instead.
  return trimmed.toLowerCase();
}

/**
 * The base URL for a gateway host: `http://` for loopback hosts (the simulator), `https://` otherwise.
 * `gatewayBaseUrl('127.0.0.1:8080') === 'http://127.0.0.1:8080'`, `gatewayBaseUrl('acme.cognigy.ai') ===
 * 'https://acme.cognigy.ai'`. The WebSocket URL follows by swapping http→ws, https→wss.
 */
export function gatewayBaseUrl(host: string): string {
  const h = normalizeGatewayHost(host);
  return `${isLoopbackHost(h) ? 'http' : 'https'}://${h}`;
}
