// The keyring daemon going silent or dying in the middle of a call, reproduced for real on a private bus whose
// gnome-keyring D-Bus starts (and starts again) unlocked: the daemon is frozen with our call queued in it.
// - @napi-rs/keyring talks to the Secret Service synchronously on the calling thread (on Linux each entry opens
//   a D-Bus connection and a session: 5 ms median, 9 ms max measured) and a silent daemon holds that thread
//   until the library gives up (about 2 s). On the engine's thread — the app's main process — that stalled
//   streams and IPC: keychain calls run on a thread of their own, and the process must still answer.
// - gnome-keyring can abort mid-call (upstream gnome-keyring#190: clients opening sessions at the same moment).
//   A desktop session, or D-Bus activation, starts it again: the store tries once more and reaches it.
import { readFile } from 'node:fs/promises';
import { describe, expect, it, beforeAll } from 'vitest';
import { assertKeyringSession, inPrivateSession, keyringBus, privateEnv, probeCommand, probeResults } from './keyring-session';

const SECRET = 'daemon-secret-Hk45-never-printed';

/** A private keyring bus with SECRET stored, its daemon frozen, and a dbus-monitor of the bus live on fd 3. */
async function frozenDaemon() {
  const bus = await keyringBus();
  const env = await privateEnv({ XDG_DATA_HOME: bus.dataDir, PROBE_VALUE: SECRET });
  const daemon = `"$(tail -n 1 '${bus.startsLog}')"`;
  const setup = [
    probeCommand(['set:acme:client-secret']), // D-Bus starts the first daemon
    'exec 3< <(exec dbus-monitor --session)',
    // The monitor is live once it reports losing its own name (it does so on becoming a monitor).
    'while IFS= read -r line <&3; do [[ $line == *member=NameLost* ]] && break; done',
    `kill -STOP ${daemon}`,
  ];
  /** Script line: returns once a probe's first call is queued at the frozen daemon. */
  const untilQueued = 'while IFS= read -r line <&3; do [[ $line == *destination=org.freedesktop.secrets*member=OpenSession* ]] && break; done';
  return { bus, env, daemon, setup, untilQueued };
}

describe('a keyring daemon that stops answering in the middle of a call', () => {
  beforeAll(async () => {
    await assertKeyringSession();
  });

  it('leaves the calling thread free: a ping is answered before the read, which completes once the daemon resumes', async () => {
    const { bus, env, daemon, setup, untilQueued } = await frozenDaemon();
    const script = [
      ...setup,
      `coproc PROBE { ${probeCommand(['get-answering:acme:client-secret'])}; }`,
      untilQueued,
      'echo ping >&"${PROBE[1]}"',
      'IFS= read -r first <&"${PROBE[0]}"; echo "$first"',
      `kill -CONT ${daemon}`,
      'IFS= read -r second <&"${PROBE[0]}"; echo "$second"',
    ].join('\n');
    const r = await inPrivateSession(script, env, bus.config);
    const [stored, first, second] = probeResults(r.stdout);
    expect(stored).toEqual({ ok: true, value: null });
    expect(first).toEqual({ ok: true, value: 'pong' });
    expect(second).toEqual({ ok: true, value: SECRET });
  }, 120_000);

  it('dies there: the read is tried once more and gets the secret from the daemon D-Bus started again', async () => {
    const { bus, env, daemon, setup, untilQueued } = await frozenDaemon();
    const script = [...setup, `${probeCommand(['get:acme:client-secret'])} & probe=$!`, untilQueued, `kill -KILL ${daemon}`, 'wait "$probe"'].join('\n');
    const r = await inPrivateSession(script, env, bus.config);
    const [stored, read] = probeResults(r.stdout);
    expect(stored).toEqual({ ok: true, value: null });
    expect(read).toEqual({ ok: true, value: SECRET });
    const starts = (await readFile(bus.startsLog, 'utf8')).trim().split('\n');
    expect(starts).toHaveLength(2); // the killed daemon and the one that answered the second try
  });
});
