// Turns an Environment into the whitelist a cassette keeps. Fields are copied one by one (never spread) so
// that a field added to Environment later cannot slip a secret or the URL token into a shared file.
import type { Environment } from '../../../shared/environment';
import type { CassetteEnvironment } from './cassette-schema';

/** Removes the URL token from an endpoint URL (`https://endpoint-x.cognigy.ai/<token>` → server part). */
export function stripUrlToken(endpointUrl: string, urlToken: string | undefined): string {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    return urlToken ? endpointUrl.split(urlToken).join('') : endpointUrl;
  }
  const segments = url.pathname.split('/').filter((s) => s !== '' && s !== urlToken);
  url.pathname = segments.length ? `/${segments.join('/')}` : '/';
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  const s = url.toString();
  return url.pathname === '/' ? s.replace(/\/$/, '') : s;
}

export function cassetteEnvironment(env: Environment): CassetteEnvironment {
  const out: CassetteEnvironment = { name: env.name, kind: env.kind };
  if (env.description !== undefined) out.description = env.description;
  if (env.gateway) {
    const g = env.gateway;
    out.gateway = { host: g.host, clientId: g.clientId, dialogId: g.dialogId, scopes: [...g.scopes] };
    if (g.sessionId !== undefined) out.gateway.sessionId = g.sessionId;
  }
  if (env.socketEndpoint) {
    const s = env.socketEndpoint;
    out.socketEndpoint = { endpointUrl: stripUrlToken(s.endpointUrl, s.urlToken), channel: s.channel, testMode: s.testMode };
    if (s.apiUrl !== undefined) out.socketEndpoint.apiUrl = stripUrlToken(s.apiUrl, s.urlToken);
    if (s.userId !== undefined) out.socketEndpoint.userId = s.userId;
    if (s.sessionId !== undefined) out.socketEndpoint.sessionId = s.sessionId;
  }
  return out;
}
