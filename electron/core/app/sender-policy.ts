// Which frames may talk to the app service. Like VS Code's validatedIpcMain, every message is refused before
// its payload is even parsed unless it comes from our own renderer: the packaged file:// page, the dev
// server in development, or (browser mode) the bridge's own origin. Never trusts a URL by prefix alone.

export interface SenderPolicyOptions {
  /** file:// URL of the built renderer's index.html (Electron, packaged). */
  rendererFileUrl?: string;
  /** Origin of the renderer dev server (Electron, `electron-vite dev`), e.g. http://localhost:5173. */
  devServerUrl?: string;
  /** Exact origins allowed, e.g. the bridge's http://127.0.0.1:PORT. */
  origins?: string[];
}

export type SenderPolicy = (senderUrl: string | undefined) => boolean;

function parse(url: string | undefined): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

export function createSenderPolicy(opts: SenderPolicyOptions): SenderPolicy {
  const file = parse(opts.rendererFileUrl);
  if (opts.rendererFileUrl && file?.protocol !== 'file:') throw new Error(`rendererFileUrl must be a file:// URL, got ${opts.rendererFileUrl}`);
  const origins = new Set<string>();
  for (const o of [opts.devServerUrl, ...(opts.origins ?? [])]) {
    const u = parse(o);
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
      if (o) throw new Error(`not an http(s) origin: ${o}`);
      continue;
    }
    origins.add(u.origin);
  }
  return (senderUrl) => {
    const u = parse(senderUrl);
    if (!u) return false;
    if (u.protocol === 'file:') {
      // Same file exactly (the query and hash do not change which document it is).
      return Boolean(file) && u.host === file!.host && decodeURIComponent(u.pathname) === decodeURIComponent(file!.pathname);
    }
    if (u.protocol === 'http:' || u.protocol === 'https:') return origins.has(u.origin);
    return false;
  };
}
