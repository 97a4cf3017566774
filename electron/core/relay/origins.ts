// Which browser origins may use the relay. A relay runs turns with the user's credentials, so any web page
// the user visits must not be able to drive it: only configured origins get CORS headers, any other
// Origin is refused outright, and "*" is not accepted as a configuration.
export const DEFAULT_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

export interface OriginPattern {
  scheme: string;
  host: string;
  /** undefined = the scheme's default port only; '*' = any port. */
  port?: string;
  source: string;
}

export function parseOriginPattern(spec: string): OriginPattern {
  const m = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\*|\d{1,5}))?\/?$/.exec(spec.trim());
  if (!m) {
    if (spec.trim() === '*') throw new Error('origin "*" is not allowed: any web page could then run turns with your credentials; name the origins (e.g. http://localhost:5173)');
    throw new Error(`invalid origin "${spec}": use scheme://host[:port], e.g. http://localhost:5173 or http://localhost:* for any port`);
  }
  const p: OriginPattern = { scheme: m[1] as string, host: (m[2] as string).toLowerCase(), source: spec };
  const defaultPort = p.scheme === 'https' ? '443' : '80';
  if (m[3] !== undefined && m[3] !== defaultPort) p.port = m[3];
  return p;
}

export function createOriginPolicy(specs: readonly string[] = DEFAULT_ORIGINS): { allowed(origin: string): boolean; patterns: OriginPattern[] } {
  const patterns = specs.map(parseOriginPattern);
  return {
    patterns,
    allowed(origin) {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false;
      }
      if (url.origin !== origin.replace(/\/$/, '')) return false;
      const scheme = url.protocol.replace(/:$/, '');
      const host = url.hostname.toLowerCase();
      return patterns.some((p) => p.scheme === scheme && p.host === host && (p.port === '*' || (p.port ?? '') === url.port));
    },
  };
}

/** Reads one request header (lower-case name), as Node's IncomingMessage.headers holds them. */
export type HeaderLookup = (name: string) => string | undefined;

export const headerLookup =
  (headers: Record<string, string | string[] | undefined>): HeaderLookup =>
  (name) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };

/**
 * Why a request that a browser sent on behalf of another site must be refused, or undefined.
 *
 * Browsers send no Origin on `<img>`, `<script>`, `<link>`, `no-cors` fetches and navigations, so the Origin
 * check alone lets any web page start work here. But they do mark every request with Fetch Metadata:
 * `Sec-Fetch-Site` (same-origin / same-site / cross-site / none = typed by the user) and `Sec-Fetch-Mode`.
 * The rule: a request from another site (same-site counts: every loopback port is the same site) is
 * served only in the modes listed in `allowModes`; for the relay that is `cors` — EventSource and fetch,
 * whose Origin the caller has already checked against the allowed origins. Clients that are no browser
 * (curl, scripts, servers) send no Sec-Fetch-* and are not affected.
 */
export function crossSiteRefusal(header: HeaderLookup, allowModes: readonly string[]): string | undefined {
  const site = header('sec-fetch-site')?.toLowerCase();
  if (site !== 'cross-site' && site !== 'same-site') return undefined;
  const mode = header('sec-fetch-mode')?.toLowerCase() ?? '(none)';
  if (allowModes.includes(mode) && (mode !== 'cors' || header('origin') !== undefined)) return undefined;
  return `a page on another site sent this request (Sec-Fetch-Site: ${site}, Sec-Fetch-Mode: ${mode}); only EventSource or fetch() from an allowed origin may use it`;
}
