import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSecureUrl, gatewayBaseUrl, InsecureUrlError, InvalidHostError, isLoopbackHost, normalizeGatewayHost } from '../../../electron/core/net/url-policy';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.0.0.1:8080', 'localhost', 'LOCALHOST:3000', '[::1]', '[::1]:9', '127.1.2.3', '[0:0:0:0:0:0:0:1]'])('%s is loopback', (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });
  it.each(['acme.cognigy.ai', '127.0.0.1.evil.com', 'localhost.evil.com', '10.0.0.1', '[::2]', '0.0.0.0', 'evil.com#@127.0.0.1', '', '::1'])('%s is not', (h) => {
    expect(isLoopbackHost(h)).toBe(false);
  });
});

describe('assertSecureUrl', () => {
  it('allows https/wss anywhere and http/ws only to loopback hosts', () => {
    for (const u of ['https://acme.cognigy.ai', 'wss://acme.cognigy.ai/stream', 'http://127.0.0.1:8080/x', 'ws://localhost:1/', 'http://[::1]:80']) {
      expect(assertSecureUrl(u).href).toBeTruthy();
    }
  });

  it('refuses plain http/ws to other hosts, naming the secure alternative', () => {
    expect(() => assertSecureUrl('http://acme.cognigy.ai/api', 'endpoint URL')).toThrow(InsecureUrlError);
    expect(() => assertSecureUrl('http://acme.cognigy.ai/api', 'endpoint URL')).toThrow(/endpoint URL http:\/\/acme\.cognigy\.ai uses unencrypted http.*use https:\/\/acme\.cognigy\.ai/);
    expect(() => assertSecureUrl('ws://10.0.0.1:99')).toThrow(/use wss:\/\/10\.0\.0\.1:99/);
    expect(() => assertSecureUrl('http://127.0.0.1.nip.io')).toThrow(InsecureUrlError);
  });

  it('refuses other schemes, relative URLs and credentials in URLs', () => {
    expect(() => assertSecureUrl('ftp://acme.cognigy.ai')).toThrow(/unsupported scheme "ftp"/);
    expect(() => assertSecureUrl('acme.cognigy.ai')).toThrow(/not a valid absolute URL/);
    expect(() => assertSecureUrl('https://user:pw@acme.cognigy.ai')).toThrow(/user name or password/);
  });

  it('property: a non-loopback host over http is always refused', () => {
    fc.assert(
      fc.property(fc.domain(), (d) => {
        fc.pre(!/^localhost$/i.test(d));
        expect(() => assertSecureUrl(`http://${d}/`)).toThrow(InsecureUrlError);
        expect(assertSecureUrl(`https://${d}/`).protocol).toBe('https:');
      }),
      { seed: 4242, numRuns: 300 },
    );
  });
});

describe('gatewayBaseUrl / normalizeGatewayHost', () => {
  it('http for loopback, https otherwise', () => {
    expect(gatewayBaseUrl('127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(gatewayBaseUrl('localhost:443')).toBe('http://localhost:443');
    expect(gatewayBaseUrl('[::1]:9000')).toBe('http://[::1]:9000');
    expect(gatewayBaseUrl('acme.cognigy.ai')).toBe('https://acme.cognigy.ai');
    expect(gatewayBaseUrl('Acme.Cognigy.AI:8443')).toBe('https://acme.cognigy.ai:8443');
  });

  it('takes only HOST[:PORT], with a clear error otherwise', () => {
    expect(() => normalizeGatewayHost('https://acme.cognigy.ai')).toThrow(/must not include a scheme.*e\.g\. acme\.cognigy\.ai/);
    expect(() => normalizeGatewayHost('acme.cognigy.ai/api')).toThrow(InvalidHostError);
    expect(() => normalizeGatewayHost('user@acme.cognigy.ai')).toThrow(/no path, query or user info/);
    expect(() => normalizeGatewayHost('acme.cognigy.ai:99999')).toThrow(/not a valid HOST\[:PORT\]/);
    expect(() => normalizeGatewayHost('  ')).toThrow(/empty/);
    expect(normalizeGatewayHost(' acme.cognigy.ai ')).toBe('acme.cognigy.ai');
  });
});
