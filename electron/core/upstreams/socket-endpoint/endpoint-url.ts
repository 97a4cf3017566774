// Splits a Socket Endpoint URL (`https://endpoint-<env>.cognigy.ai/<URLToken>`) into the server part the
// socket connects to and the URL token, applying the transport policy (https/wss except loopback).
import { assertSecureUrl } from '../../net/url-policy';

export function endpointServerUrl(endpointUrl: string, urlToken: string): string {
  const u = assertSecureUrl(endpointUrl, 'endpoint URL');
  const parts = u.pathname.split('/').filter(Boolean);
  // The last path segment is the URL token when the user pasted the full endpoint URL.
  if (parts.length && parts[parts.length - 1] === urlToken) parts.pop();
  const path = parts.length ? `/${parts.join('/')}` : '';
  return `${u.origin}${path}`;
}
