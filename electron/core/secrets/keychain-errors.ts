// Turns whatever the OS keychain library throws into one typed error that names the cause and the fix.
// The classification is by the library's error text, matched against what @napi-rs/keyring 2 was observed
// to throw on Linux (tests/core/secrets reproduce each case on a real gnome-keyring):
//   no bus / bogus bus address / bus without Secret Service → constructor throws
//     "Platform failure: DBus error: ..." (autolaunch disabled | Failed to connect to socket |
//     The name org.freedesktop.secrets was not provided by any .service files)
//   collection locked (prompt cannot be shown, or the user dismissed it) →
//     "Couldn't access platform storage: Secret Service: unlock prompt was dismissed"
//   Secret Service without a default keyring (fresh gnome-keyring, nothing to create one) → on set:
//     "Couldn't access platform storage: Secret Service: no result found"
//   the daemon died while answering (gnome-keyring can abort: upstream gnome-keyring#190) →
//     "Platform failure: DBus error: Message recipient disconnected from message bus without replying"
//   the daemon does not answer (hung, stopped) → after the library's D-Bus timeout (about 2 s):
//     "Platform failure: DBus error: Did not receive a reply. Possible causes include: …"
// macOS/Windows texts are matched on their documented status names/codes.
// Must never put a secret value into a message: callers pass the value to redact when they have one.

export type KeychainUnavailableReason = 'no-secret-service' | 'stopped' | 'locked' | 'denied' | 'unknown';

export class KeychainUnavailableError extends Error {
  override name = 'KeychainUnavailableError';
  constructor(
    readonly reason: KeychainUnavailableReason,
    /** One sentence a user can act on. */
    readonly fix: string,
    /** What the platform said (redacted), for troubleshooting. */
    readonly detail: string,
    /** The cause in words, e.g. "no Secret Service on the session D-Bus". */
    readonly what: string,
    /** What we were doing, e.g. "read the client-secret of environment \"acme\"". */
    readonly action?: string,
  ) {
    super(`keychain unavailable [${reason}]: ${what}${action ? ` (while trying to ${action})` : ''} — ${detail}`);
  }

  /**
   * The error in plain words for a person, one line: what is wrong and what we were doing — no platform
   * detail (a multi-line D-Bus text helps nobody in a dialog) and no fix (the UI shows the fix once, in
   * one place, from the keychain's status).
   */
  get summary(): string {
    return `the keychain cannot be reached: ${this.what}${this.action ? ` (while trying to ${this.action})` : ''}`;
  }

  /** The same error told for another action (or none). */
  withAction(action?: string): KeychainUnavailableError {
    return new KeychainUnavailableError(this.reason, this.fix, this.detail, this.what, action);
  }
}

const PER_RUN = 'or pass the secret per run with --secret-from-env (see README, Troubleshooting)';

interface Diagnosis {
  reason: KeychainUnavailableReason;
  what: string;
  fix: string;
}

function linux(detail: string): Diagnosis {
  // Before the generic D-Bus case: there was a Secret Service, and it went away or went silent mid-call.
  const stopped = /disconnected from message bus without replying/i.test(detail)
    ? 'the Secret Service stopped while answering (its daemon quit or crashed)'
    : /Did not receive a reply|org\.freedesktop\.DBus\.Error\.NoReply/i.test(detail)
      ? 'the Secret Service did not answer in time (its daemon hangs)'
      : undefined;
  if (stopped) {
    return {
      reason: 'stopped',
      what: stopped,
      fix: `try again; if it keeps happening, restart the keyring daemon: your desktop session starts it anew, possibly locked (unlock it when asked), on a headless machine run \`gnome-keyring-daemon --replace --unlock --components=secrets\`, type the keyring password and press Ctrl-D; ${PER_RUN}`,
    };
  }
  if (/DBus error|D-Bus|dbus-daemon|autolaunch|Failed to connect|not provided by any \.service files|ServiceUnknown|NameHasNoOwner|NoServer|org\.freedesktop\.DBus\.Error/i.test(detail)) {
    return {
      reason: 'no-secret-service',
      what: 'no Secret Service on the session D-Bus',
      fix: `install and start gnome-keyring (apt-get install gnome-keyring) or KeePassXC with Secret Service integration in your desktop session, ${PER_RUN}`,
    };
  }
  if (/no result found/i.test(detail)) {
    return {
      reason: 'locked',
      what: 'the Secret Service has no default keyring to store secrets in',
      fix: `create and unlock a login keyring: log in to the desktop session, or on a headless machine run \`gnome-keyring-daemon --replace --unlock --components=secrets\`, type a keyring password and press Ctrl-D; ${PER_RUN}`,
    };
  }
  if (/prompt was dismissed|locked|IsLocked/i.test(detail)) {
    return {
      reason: 'locked',
      what: 'the keyring is locked and could not be unlocked (the unlock prompt was dismissed or could not be shown)',
      fix: `unlock your keyring: log in to the desktop session or unlock it in Passwords and Keys (seahorse); on a headless machine run \`gnome-keyring-daemon --replace --unlock --components=secrets\`, type the keyring password and press Ctrl-D; ${PER_RUN}`,
    };
  }
  if (/denied|not allowed|permission|refused/i.test(detail)) {
    return {
      reason: 'denied',
      what: 'the Secret Service refused access',
      fix: `allow cognigy-stream-debugger to use your keyring (check your Secret Service provider's access settings, e.g. KeePassXC's "Confirm access" dialog), ${PER_RUN}`,
    };
  }
  return unknown(detail);
}

function mac(detail: string): Diagnosis {
  if (/interaction is not allowed|InteractionNotAllowed|-25308|locked/i.test(detail)) {
    return {
      reason: 'locked',
      what: 'the macOS login keychain is locked',
      fix: `unlock it (Keychain Access → File → Unlock Keychain "login", or \`security unlock-keychain\`), ${PER_RUN}`,
    };
  }
  if (/cancel|denied|not allowed|-128|-25293|authorization/i.test(detail)) {
    return {
      reason: 'denied',
      what: 'access to the macOS keychain was denied',
      fix: `run the command again and choose "Allow" when macOS asks (or grant access in Keychain Access → the cognigy-stream-debugger item → Access Control), ${PER_RUN}`,
    };
  }
  return unknown(detail);
}

function windows(detail: string): Diagnosis {
  if (/denied|not allowed|-2147024891|0x80070005/i.test(detail)) {
    return {
      reason: 'denied',
      what: 'Windows Credential Manager refused access',
      fix: `check that your account may use Credential Manager (not blocked by policy), ${PER_RUN}`,
    };
  }
  return unknown(detail);
}

function unknown(detail: string): Diagnosis {
  return {
    reason: 'unknown',
    what: `the OS keychain failed${/ambiguous/i.test(detail) ? ' (more than one entry matches: remove the duplicates in your keychain manager)' : ''}`,
    fix: `check that your OS keychain works (on Linux: \`secret-tool store --label test service test account test\`), ${PER_RUN}`,
  };
}

function messageChain(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; e && i < 5; i++) {
    const m = e instanceof Error ? e.message : typeof e === 'string' ? e : (JSON.stringify(e) ?? '');
    if (m && !parts.some((p) => p.includes(m))) parts.push(m);
    e = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  }
  return parts.join(': ');
}

/** Replaces every occurrence of each given value (a secret) in the text. */
export function redact(text: string, values: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const v of values) if (v) out = out.split(v).join('[redacted]');
  return out;
}

/**
 * Classifies an error thrown by @napi-rs/keyring. `secret` (when the caller was storing one) is redacted
 * from everything that ends up in the error.
 */
export function toKeychainError(err: unknown, opts: { platform?: NodeJS.Platform; secret?: string; action?: string } = {}): KeychainUnavailableError {
  if (err instanceof KeychainUnavailableError) return err;
  const platform = opts.platform ?? process.platform;
  const detail = redact(messageChain(err), [opts.secret]);
  const d = platform === 'linux' || platform === 'freebsd' || platform === 'openbsd' ? linux(detail) : platform === 'darwin' ? mac(detail) : platform === 'win32' ? windows(detail) : unknown(detail);
  return new KeychainUnavailableError(d.reason, d.fix, detail, d.what, opts.action);
}
