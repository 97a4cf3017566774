import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCsp, withCspMeta } from '../../../electron/core/app/csp';

const html = readFileSync(join(__dirname, '../../../renderer/index.html'), 'utf8');

describe('content security policy', () => {
  it('the renderer meta tag is exactly the Electron policy (connect-src self only)', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
    expect(meta).toBe(buildCsp());
    expect(meta).toContain("connect-src 'self';");
  });

  it('allows no inline script, no eval and no remote origin', () => {
    const csp = buildCsp({ header: true });
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(buildCsp()).not.toContain('frame-ancestors');
  });

  it('the bridge widens connect-src to its own socket only', () => {
    const csp = buildCsp({ connect: ['ws://127.0.0.1:1234'] });
    expect(withCspMeta(html, csp)).toContain("connect-src 'self' ws://127.0.0.1:1234;");
    expect(() => withCspMeta('<html></html>', csp)).toThrow(/meta/);
  });
});
