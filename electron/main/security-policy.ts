// The hardening decisions of the Electron main process as plain functions, so tests can check them without
// Electron (navigation, external links, the CSP header). The window's webPreferences are a literal in
// window.ts, where electronegativity can read them. Must never import electron.
import { buildCsp } from '../core/app/csp';

/** The CSP header Electron adds to every response (meta tag and header agree; connect-src 'self' only). */
export const ELECTRON_CSP = buildCsp({ header: true });

/**
 * Navigation is never allowed: the app is one page. A reload of that same page (same URL without hash) is
 * the only exception, so Ctrl-R in development keeps working.
 */
export function isAllowedNavigation(target: string, rendererUrl: string): boolean {
  try {
    const t = new URL(target);
    const r = new URL(rendererUrl);
    t.hash = '';
    r.hash = '';
    return t.href === r.href;
  } catch {
    return false;
  }
}

/** Only these URLs may be handed to the OS browser (links in the UI to docs); everything else is dropped. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Adds the CSP header to a response's headers (keeps the others). */
export function withCspHeader(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [ELECTRON_CSP];
  return out;
}
