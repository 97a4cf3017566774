// The renderer's Content Security Policy, one definition for every place it is sent: the meta tag of
// renderer/index.html (checked by a test), Electron's response header, and the browser bridge's header.
// No inline script, no eval, no remote origin; innerHTML sinks refused outright by Trusted Types.

export interface CspOptions {
  /** Extra connect-src sources, e.g. the bridge's ws://127.0.0.1:PORT (browser mode only). */
  connect?: string[];
  /** Header only: directives a meta tag cannot carry (browsers ignore them there, with a console error). */
  header?: boolean;
}

export function buildCsp(opts: CspOptions = {}): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(opts.connect ?? [])]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['object-src', ["'none'"]],
    ['require-trusted-types-for', ["'script'"]],
    ['trusted-types', ["'none'"]],
  ];
  if (opts.header) directives.push(['frame-ancestors', ["'none'"]]);
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/** Replaces the CSP meta tag's content in an HTML document (the bridge widens connect-src for its socket). */
export function withCspMeta(html: string, csp: string): string {
  const re = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/i;
  if (!re.test(html)) throw new Error('index.html has no Content-Security-Policy meta tag');
  return html.replace(re, (_m, a: string, b: string) => `${a}${csp.replace(/"/g, '&quot;')}${b}`);
}
