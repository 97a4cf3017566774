// @napi-rs/keyring talks to the Secret Service synchronously on the calling thread: on Linux each entry opens a
// D-Bus connection and a session (5 ms median, 9 ms max measured here) and a daemon that does not answer holds
// it until the library gives up (about 2 s). On the engine's thread — the app's main process — that stalled streams and
// IPC. Reproduced for real: the daemon is frozen with our read queued in it; the process must still answer.
import { describe, expect, it, beforeAll } from 'vitest';
import { assertKeyringSession, inPrivateSession, keyringBus, privateEnv, probeCommand, probeResults } from './keyring-session';

const SECRET = 'thread-secret-Hk45-never-printed';

describe('a keychain call the daemon does not answer', () => {
  beforeAll(async () => {
    await assertKeyringSession();
  });

  it('leaves the calling thread free: a ping is answered before the read, which completes once the daemon resumes', async () => {
    const bus = await keyringBus();
    const env = await privateEnv({ XDG_DATA_HOME: bus.dataDir, PROBE_VALUE: SECRET });
    const daemon = `"$(tail -n 1 '${bus.startsLog}')"`;
    const script = [
      probeCommand(['set:acme:client-secret']), // D-Bus starts the daemon
      'exec 3< <(exec dbus-monitor --session)',
      // The monitor is live once it reports losing its own name (it does so on becoming a monitor).
      'while IFS= read -r line <&3; do [[ $line == *member=NameLost* ]] && break; done',
      `kill -STOP ${daemon}`,
      `coproc PROBE { ${probeCommand(['get-answering:acme:client-secret'])}; }`,
      // The probe's read is now queued at the frozen daemon.
      'while IFS= read -r line <&3; do [[ $line == *destination=org.freedesktop.secrets*member=OpenSession* ]] && break; done',
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
});
