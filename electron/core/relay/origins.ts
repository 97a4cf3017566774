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
