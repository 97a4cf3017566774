import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { configDir } from '../../../electron/core/environments/config-dir';

describe('configDir', () => {
  it('Linux: $XDG_CONFIG_HOME, else ~/.config (a relative XDG_CONFIG_HOME is ignored, as the spec says)', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/x/conf' }, 'linux', '/home/u')).toBe('/x/conf/cognigy-stream-debugger');
    expect(configDir({}, 'linux', '/home/u')).toBe('/home/u/.config/cognigy-stream-debugger');
    expect(configDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/u')).toBe('/home/u/.config/cognigy-stream-debugger');
    expect(configDir({ XDG_CONFIG_HOME: 'rel/conf' }, 'linux', '/home/u')).toBe('/home/u/.config/cognigy-stream-debugger');
  });

  it('macOS: ~/Library/Application Support', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/ignored' }, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/cognigy-stream-debugger');
  });

  it('Windows: %APPDATA%, else ~\\AppData\\Roaming', () => {
    expect(configDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\cognigy-stream-debugger');
    expect(configDir({}, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\cognigy-stream-debugger');
  });

  it('STREAM_DEBUGGER_DATA_DIR overrides everything', () => {
    expect(configDir({ STREAM_DEBUGGER_DATA_DIR: '/tmp/data', XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/tmp/data');
    expect(configDir({ STREAM_DEBUGGER_DATA_DIR: '/tmp/data' }, 'darwin', '/Users/u')).toBe('/tmp/data');
  });

  it('defaults to this process', () => {
    expect(configDir()).toBe(configDir(process.env, process.platform, os.homedir()));
  });
});
