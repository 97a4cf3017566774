// Every way the keychain can be unusable, reproduced for real in a child process (no D-Bus, a bus with no
// Secret Service, a locked keyring, a Secret Service without a default keyring) → a KeychainUnavailableError
// with the right reason and a fix; plus the classification of the macOS/Windows texts we cannot run here.
import { describe, expect, it, beforeAll } from 'vitest';
import { toKeychainError, KeychainUnavailableError } from '../../../electron/core/secrets/keychain-errors';
import {
  assertKeyringSession,
  busConfigWithoutServices,
  inPrivateSession,
  LOCK_LOGIN_KEYRING,
  SHOW_LOGIN_LOCKED,
  privateEnv,
  probeCommand,
  probeResults,
  PROBE,
  RESTART_UNLOCKED_KEYRING,
  run,
  START_UNLOCKED_KEYRING,
} from './keyring-session';

const SECRET = 'probe-secret-Zx81-never-printed';

function expectUnavailable(r: { ok: boolean; error?: { name: string; reason?: string; fix?: string; message: string } } | undefined, reason: string, fix: RegExp) {
  expect(r?.ok).toBe(false);
  expect(r?.error?.name).toBe('KeychainUnavailableError');
  expect(r?.error?.reason).toBe(reason);
  expect(r?.error?.fix).toMatch(fix);
  expect(r?.error?.message).not.toContain(SECRET);
  expect(r?.error?.fix).not.toContain(SECRET);
}

describe('keychain unavailable (real, in child processes)', () => {
  beforeAll(async () => {
    await assertKeyringSession();
  });

  it('DBUS_SESSION_BUS_ADDRESS unset → no-secret-service with the install fix', async () => {
    const env = await privateEnv({ PROBE_VALUE: SECRET });
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const r = await run('node', ['--import', 'tsx', PROBE, 'get:acme', 'set:acme', 'delete:acme', 'status:acme'], { env });
    const [get, set, del, status] = probeResults(r.stdout);
    for (const x of [get, set, del]) expectUnavailable(x, 'no-secret-service', /gnome-keyring.*KeePassXC.*--secret-from-env/);
    expect(get?.error?.message).toMatch(/no Secret Service on the session D-Bus/);
    expect(status).toEqual({ ok: true, value: { 'client-secret': 'unavailable', 'api-key': 'unavailable' } });
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('DBUS_SESSION_BUS_ADDRESS pointing nowhere → no-secret-service', async () => {
    const env = await privateEnv({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/cognigy-test-bus', PROBE_VALUE: SECRET });
    const r = await run('node', ['--import', 'tsx', PROBE, 'get:acme', 'set:acme'], { env });
    const [get, set] = probeResults(r.stdout);
    expectUnavailable(get, 'no-secret-service', /apt-get install gnome-keyring/);
    expectUnavailable(set, 'no-secret-service', /apt-get install gnome-keyring/);
    expect(get?.error?.message).toMatch(/nonexistent/); // the platform's detail is kept for troubleshooting
  });

  it('a D-Bus session on which no Secret Service exists → no-secret-service', async () => {
    const env = await privateEnv({ PROBE_VALUE: SECRET });
    const r = await inPrivateSession(probeCommand(['get:acme', 'set:acme']), env, await busConfigWithoutServices());
    const [get, set] = probeResults(r.stdout);
    expectUnavailable(get, 'no-secret-service', /gnome-keyring/);
    expectUnavailable(set, 'no-secret-service', /gnome-keyring/);
    expect(get?.error?.detail).toMatch(/org\.freedesktop\.secrets/);
  });

  it('a LOCKED keyring → locked, with the unlock fix; a secret stored before is neither read nor lost', async () => {
    const env = await privateEnv({ PROBE_VALUE: SECRET });
    const script = [
      START_UNLOCKED_KEYRING,
      probeCommand(['set:acme:client-secret']),
      LOCK_LOGIN_KEYRING,
      // The collection really is locked now (asked over D-Bus, not through the library under test).
      SHOW_LOGIN_LOCKED,
      probeCommand(['get:acme:client-secret', 'set:acme:client-secret', 'delete:acme:client-secret', 'status:acme']),
      // Opted in: the locked keychain is noticed on read and the variable used; without one the error stays.
      `COGNIGY_ACME_CLIENT_SECRET=from-env-var ${probeCommand(['resolve-fallback', 'get:acme:client-secret', 'get:acme:api-key'])}`,
      probeCommand(['resolve-fallback', 'get:acme:client-secret']),
      // Unlocked again, the secret is still there.
      RESTART_UNLOCKED_KEYRING,
      probeCommand(['get:acme:client-secret']),
    ].join('\n');
    const r = await inPrivateSession(script, env);
    expect(r.stdout).toMatch(/variant\s+boolean true/);
    const [stored, get, set, del, status, layered, fromVar, noItem, layered2, noVar, after] = probeResults(r.stdout);
    expect(stored).toEqual({ ok: true, value: null });
    for (const x of [get, set, del]) expectUnavailable(x, 'locked', /unlock your keyring.*gnome-keyring-daemon --replace --unlock/);
    expect(get?.error?.message).toMatch(/keyring is locked/);
    expect(status).toEqual({ ok: true, value: { 'client-secret': 'unavailable', 'api-key': 'unavailable' } });
    expect(layered).toEqual({ ok: true, value: 'keychain' });
    expect(fromVar).toEqual({ ok: true, value: 'from-env-var' });
    expect(noItem).toEqual({ ok: true, value: null }); // no entry at all: nothing to unlock
    expect(layered2).toEqual({ ok: true, value: 'keychain' });
    expectUnavailable(noVar, 'locked', /unlock your keyring/); // locked entry, no variable: the keychain error
    expect(r.stderr).toContain('using secret from environment variable COGNIGY_ACME_CLIENT_SECRET (keychain fallback)');
    expect(after).toEqual({ ok: true, value: SECRET });
    // Only the final, deliberate read may show it.
    expect(r.stdout.split(SECRET).length - 1).toBe(1);
  });

  it('a Secret Service without a default keyring → locked, saying there is no keyring to store in', async () => {
    const env = await privateEnv({ PROBE_VALUE: SECRET });
    // gnome-keyring gets D-Bus-activated without --unlock: it has no login keyring and cannot prompt for one.
    const r = await inPrivateSession(probeCommand(['get:acme', 'set:acme']), env);
    const [get, set] = probeResults(r.stdout);
    expect(get).toEqual({ ok: true, value: null });
    expectUnavailable(set, 'locked', /create and unlock a login keyring/);
    expect(set?.error?.message).toMatch(/no default keyring/);
  });

  it('resolveSecretStore: without opt-in an unreachable keychain is an error; with opt-in the env fallback', async () => {
    const env = await privateEnv({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', COGNIGY_ACME_CLIENT_SECRET: SECRET });
    const strict = await run('node', ['--import', 'tsx', PROBE, 'resolve'], { env });
    const [r1] = probeResults(strict.stdout);
    expectUnavailable(r1, 'no-secret-service', /--secret-from-env/);
    expect(r1?.error?.message).toMatch(/reach the OS keychain/);

    const optIn = await run('node', ['--import', 'tsx', PROBE, 'resolve-fallback', 'get:acme', 'set:acme'], { env });
    const [kind, get, set] = probeResults(optIn.stdout);
    expect(kind).toEqual({ ok: true, value: 'env-fallback' });
    expect(get).toEqual({ ok: true, value: SECRET });
    expect(set?.ok).toBe(false);
    expect(set?.error?.name).toBe('SecretStoreReadOnlyError');
    expect(optIn.stderr).toContain('using secret from environment variable COGNIGY_ACME_CLIENT_SECRET (keychain fallback)');
    expect(optIn.stderr).toMatch(/keychain unavailable \[no-secret-service\]/);
    expect(optIn.stderr).not.toContain(SECRET);

    const viaVar = await run('node', ['--import', 'tsx', PROBE, 'resolve'], { env: { ...env, STREAM_DEBUGGER_SECRETS_FROM_ENV: '1' } });
    expect(probeResults(viaVar.stdout)[0]).toEqual({ ok: true, value: 'env-fallback' });
  });
});

describe('toKeychainError classification', () => {
  const cases: Array<[NodeJS.Platform, string, string]> = [
    ['linux', 'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead', 'no-secret-service'],
    ['linux', 'Platform failure: DBus error: Failed to connect to socket /x: No such file or directory', 'no-secret-service'],
    ['linux', 'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', 'no-secret-service'],
    ['linux', "Couldn't access platform storage: Secret Service: unlock prompt was dismissed", 'locked'],
    ['linux', "Couldn't access platform storage: Secret Service: no result found", 'locked'],
    ['linux', "Couldn't access platform storage: permission denied", 'denied'],
    ['linux', 'Entry is matched by 2 credentials: ambiguous', 'unknown'],
    ['linux', 'Platform failure: DBus error: Message recipient disconnected from message bus without replying', 'stopped'],
    ['linux', 'Platform failure: DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply, the reply timeout expired', 'stopped'],
    ['darwin', 'Platform failure: User interaction is not allowed. (-25308)', 'locked'],
    ['darwin', 'Platform failure: The user name or passphrase you entered is not correct. (-25293)', 'denied'],
    ['darwin', 'Platform failure: User canceled the operation. (-128)', 'denied'],
    ['win32', 'Platform failure: Access is denied. (0x80070005)', 'denied'],
    ['win32', 'Platform failure: something else', 'unknown'],
  ];
  it.each(cases)('%s: %s → %s', (platform, message, reason) => {
    const e = toKeychainError(new Error(message), { platform });
    expect(e).toBeInstanceOf(KeychainUnavailableError);
    expect(e.reason).toBe(reason);
    expect(e.fix.length).toBeGreaterThan(20);
    expect(e.fix).toMatch(/--secret-from-env/);
  });

  it('follows the cause chain and redacts the secret being stored', () => {
    const inner = new Error('Secret Service: unlock prompt was dismissed while storing hunter2');
    const outer = Object.assign(new Error("Couldn't access platform storage"), { cause: inner });
    const e = toKeychainError(outer, { platform: 'linux', secret: 'hunter2', action: 'store the api-key of environment "x"' });
    expect(e.reason).toBe('locked');
    expect(e.message).not.toContain('hunter2');
    expect(e.detail).toContain('[redacted]');
    expect(e.message).toContain('while trying to store the api-key of environment "x"');
  });
});
