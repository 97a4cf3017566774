// The user's environments on disk: one JSON file per environment, `<dir>/environments/<name>.json` (0600, the
// directory 0700), so two processes (the app and the CLI) adding different environments never overwrite each
// other, and a damaged file costs only that environment. Writes are atomic (temp + fsync + rename). Every
// file is validated on load; a file that does not parse is reported with its path and problem and is never
// overwritten or dropped. Must never store a secret: the Environment schema has no field for one, and unknown
// fields are stripped before writing.
import { chmod, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ENV_NAME_RE, Environment, type EnvironmentInput } from '../../../shared/environment';
import { fsyncDir, writeFileAtomic } from '../util/atomic-file';
import { demoEnvironment, isReservedName } from './demo';
import { EnvironmentInputError, formatIssues, validateEnvironment } from './validate-environment';
import { jsonErrorPosition } from '../util/json-error';
import { createSerial } from '../util/serial';

export const ENVIRONMENTS_SUBDIR = 'environments';
const FORMAT_VERSION = 1;

/** A file under the environments directory that cannot be used as it is. */
export class EnvironmentFileError extends Error {
  override name = 'EnvironmentFileError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem} (the file was left as it is: fix it, or remove the environment with "env remove")`);
  }
}

export type EnvironmentListing = Environment & { builtIn: boolean };

export interface EnvironmentScan {
  environments: EnvironmentListing[];
  /** Files that could not be loaded; their environments are missing from `environments`. */
  problems: EnvironmentFileError[];
}

export interface EnvironmentStore {
  readonly dir: string;
  /** The built-in demo first, then stored environments by name. Throws the first EnvironmentFileError. */
  list(): Promise<EnvironmentListing[]>;
  /** Like list(), but reports broken files next to the environments that did load. */
  scan(): Promise<EnvironmentScan>;
  /** The environment (the demo's description for `demo`), undefined if there is none by that name. */
  get(name: string): Promise<Environment | undefined>;
  /**
   * Validates and stores (creates or replaces). With `createOnly` an existing name is an error. A name that
   * differs from an existing one only in letter case is always an error. Refuses to replace a file that
   * does not parse. Returns what was stored (normalised; createdAt kept, updatedAt set).
   */
  save(env: EnvironmentInput, opts?: { createOnly?: boolean }): Promise<Environment>;
  /** Removes the file; false if there was none. Works on a file that no longer parses. */
  remove(name: string): Promise<boolean>;
}

function assertName(name: string): void {
  if (!ENV_NAME_RE.test(name)) {
    throw new EnvironmentInputError('invalid', `"${name}" is not a valid environment name: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
}

/** `now` stamps createdAt/updatedAt (injected by tests that compare them). */
export function createEnvironmentStore(dir: string, opts: { now?: () => Date } = {}): EnvironmentStore {
  const clock = opts.now ?? (() => new Date());
  const envDir = path.join(dir, ENVIRONMENTS_SUBDIR);
  const fileOf = (name: string) => path.join(envDir, `${name}.json`);
  // Writes from this process one at a time; other processes are kept apart by link()/rename() atomicity.
  const serialized = createSerial();

  async function ensureDir(): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await mkdir(envDir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') await chmod(envDir, 0o700);
  }

  /** Names of the stored environment files as they are on disk (exact case). */
  async function storedNames(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(envDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return entries
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.json'.length))
      .filter((n) => ENV_NAME_RE.test(n))
      .sort((a, b) => a.localeCompare(b));
  }

  async function load(name: string): Promise<Environment> {
    const file = fileOf(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new EnvironmentFileError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new EnvironmentFileError(file, `is not valid JSON${jsonErrorPosition(err)}`);
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new EnvironmentFileError(file, 'does not hold a JSON object');
    const version = (raw as { formatVersion?: unknown }).formatVersion;
    if (typeof version === 'number' && version > FORMAT_VERSION) {
      throw new EnvironmentFileError(file, `was written by a newer version of cognigy-stream-debugger (format ${version}; this one reads ${FORMAT_VERSION})`);
    }
    const parsed = Environment.safeParse(raw);
    if (!parsed.success) throw new EnvironmentFileError(file, `is not a valid environment: ${formatIssues(parsed.error)}`);
    if (parsed.data.name !== name) {
      throw new EnvironmentFileError(file, `holds an environment named "${parsed.data.name}", but the file name says "${name}"`);
    }
    return parsed.data;
  }

  async function scan(): Promise<EnvironmentScan> {
    const environments: EnvironmentListing[] = [{ ...demoEnvironment(), builtIn: true }];
    const problems: EnvironmentFileError[] = [];
    for (const name of await storedNames()) {
      try {
        environments.push({ ...(await load(name)), builtIn: false });
      } catch (err) {
        if (err instanceof EnvironmentFileError) problems.push(err);
        else throw err;
      }
    }
    return { environments, problems };
  }

  return {
    dir,
    scan,
    async list() {
      const { environments, problems } = await scan();
      if (problems[0]) throw problems[0];
      return environments;
    },
    async get(name) {
      if (isReservedName(name)) return name === 'demo' ? demoEnvironment() : undefined;
      assertName(name);
      // Exact-case lookup, also on case-insensitive file systems.
      if (!(await storedNames()).includes(name)) return undefined;
      return load(name);
    },
    save(input, opts = {}) {
      return serialized(async () => {
        const env = validateEnvironment(input);
        await ensureDir();
        const names = await storedNames();
        const clash = names.find((n) => n.toLowerCase() === env.name.toLowerCase());
        const now = clock().toISOString();
        let createdAt = env.createdAt ?? now;
        if (clash !== undefined) {
          if (opts.createOnly || clash !== env.name) {
            throw new EnvironmentInputError(
              'exists',
              clash === env.name
                ? `an environment named "${env.name}" already exists: remove it first ("env remove ${env.name}") or pick another name`
                : `an environment named "${clash}" already exists (names are compared ignoring case): pick another name`,
            );
          }
          // Never overwrite a file we could not read: it may hold settings the user wants back.
          const previous = await load(env.name);
          createdAt = previous.createdAt ?? createdAt;
        }
        const stored: Environment = { ...env, createdAt, updatedAt: now };
        const text = `${JSON.stringify({ formatVersion: FORMAT_VERSION, ...stored }, null, 2)}\n`;
        try {
          await writeFileAtomic(fileOf(env.name), text, { mode: 0o600, exclusive: clash === undefined });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
            throw new EnvironmentInputError('exists', `an environment named "${env.name}" was just created by another process: pick another name or remove it first`);
          }
          throw err;
        }
        return stored;
      });
    },
    remove(name) {
      return serialized(async () => {
        if (isReservedName(name)) throw new EnvironmentInputError('reserved', `"${name}" is the built-in demo environment: it cannot be removed`);
        assertName(name);
        if (!(await storedNames()).includes(name)) return false;
        try {
          await unlink(fileOf(name));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
          throw err;
        }
        await fsyncDir(envDir);
        return true;
      });
    },
  };
}
