// Turns an Environment into the whitelist a cassette keeps. Fields are copied one by one (never spread) so
// that a field added to Environment later cannot slip a secret or the URL token into a shared file.
import type { Environment } from '../../../shared/environment';
import { withUpstream } from '../upstreams/registry';
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
  // What a cassette may keep of the kind's own settings, the kind decides (its descriptor's `cassette`).
  return { ...out, ...withUpstream(env, (d, e) => d.cassette(e)) };
}
