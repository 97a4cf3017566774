import { describe, expect, it } from 'vitest';
import { ELECTRON_CSP, isAllowedNavigation, isSafeExternalUrl, withCspHeader } from '../../electron/main/security-policy';

describe('Electron hardening decisions', () => {
  it('never navigates away; a reload of the page itself is the only allowed navigation', () => {
    const page = 'file:///app/out/renderer/index.html';
    expect(isAllowedNavigation(page, page)).toBe(true);
    expect(isAllowedNavigation(`${page}#x`, page)).toBe(true);
    for (const t of ['https://evil.example/', 'file:///etc/passwd', 'file:///app/out/renderer/other.html', 'javascript:alert(1)', 'data:text/html,x', 'garbage']) {
      expect(isAllowedNavigation(t, page), t).toBe(false);
    }
  });

  it('hands only plain https links to the OS browser', () => {
    expect(isSafeExternalUrl('https://docs.cognigy.com/ai/')).toBe(true);
    for (const u of ['http://docs.cognigy.com', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@evil.example/', 'smb://x/y']) expect(isSafeExternalUrl(u), u).toBe(false);
  });

  it('sets its CSP header on every response, replacing any other', () => {
    const h = withCspHeader({ 'content-security-policy': ['default-src *'], 'X-Other': 'a' });
    expect(h['Content-Security-Policy']).toEqual([ELECTRON_CSP]);
    expect(h['content-security-policy']).toBeUndefined();
    expect(h['X-Other']).toEqual(['a']);
    expect(ELECTRON_CSP).toContain("connect-src 'self';");
    expect(ELECTRON_CSP).not.toMatch(/ws:|unsafe/);
  });
});
