import { describe, expect, it } from 'vitest';
import { createSenderPolicy } from '../../../electron/core/app/sender-policy';

describe('sender policy', () => {
  const policy = createSenderPolicy({ rendererFileUrl: 'file:///opt/app/out/renderer/index.html', devServerUrl: 'http://localhost:5173', origins: ['http://127.0.0.1:4000'] });

  it('accepts our renderer file (query and hash ignored), the dev server and the bridge origin', () => {
    expect(policy('file:///opt/app/out/renderer/index.html')).toBe(true);
    expect(policy('file:///opt/app/out/renderer/index.html?x=1#y')).toBe(true);
    expect(policy('http://localhost:5173/')).toBe(true);
    expect(policy('http://localhost:5173/some/route')).toBe(true);
    expect(policy('http://127.0.0.1:4000/')).toBe(true);
  });

  it('refuses any other file, origin, scheme or garbage', () => {
    for (const url of [
      'file:///opt/app/out/renderer/other.html',
      'file:///opt/app/out/renderer/index.html.evil',
      'file:///tmp/index.html',
      'file://evil-host/opt/app/out/renderer/index.html',
      'http://localhost:5174/',
      'https://localhost:5173/',
      'http://127.0.0.1:4001/',
      'http://127.0.0.1.evil.com:4000/',
      'http://evil.com/?http://127.0.0.1:4000',
      'devtools://devtools/bundled/index.html',
      'about:blank',
      'data:text/html,hi',
      'not a url',
      '',
      undefined,
    ]) {
      expect(policy(url), String(url)).toBe(false);
    }
  });

  it('refuses a non-file renderer URL and non-http origins at construction', () => {
    expect(() => createSenderPolicy({ rendererFileUrl: 'http://x/index.html' })).toThrow(/file:/);
    expect(() => createSenderPolicy({ origins: ['ws://127.0.0.1:1'] })).toThrow(/origin/);
  });
});
