// Where the product keeps its per-user data (environments, sync outbox, recordings): the same directory the
// Electron app's app.getPath('userData') returns for the app name `cognigy-stream-debugger`, so the app and
// the CLI see the same environments. Must never create anything: it only computes the path.
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'cognigy-stream-debugger';

/** Overrides the whole directory (tests, portable setups). */
export const DATA_DIR_VAR = 'STREAM_DEBUGGER_DATA_DIR';

/**
 * Linux/BSD: `$XDG_CONFIG_HOME/cognigy-stream-debugger`, else `~/.config/cognigy-stream-debugger`;
 * macOS: `~/Library/Application Support/cognigy-stream-debugger`;
 * Windows: `%APPDATA%\cognigy-stream-debugger`, else `~\AppData\Roaming\cognigy-stream-debugger`.
 * STREAM_DEBUGGER_DATA_DIR replaces all of that.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const override = env[DATA_DIR_VAR];
  if (override) return p.resolve(override);
  if (platform === 'win32') {
    const appData = env.APPDATA;
    return p.join(appData && p.isAbsolute(appData) ? appData : p.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  }
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.config'), APP_DIR_NAME);
}

/** The data dir is the config dir (one place per user, as Electron's userData). */
export const dataDir = configDir;
