// gnome-keyring can die in the middle of a call (upstream gnome-keyring#190: it aborts when clients open
// sessions at the same moment). A desktop session, or D-Bus activation, starts it again; the store tries once
// more and reaches the new daemon, instead of failing with "no Secret Service" although there is one.
// Reproduced for real: the daemon is frozen with a call of ours pending in it, then killed.
import { readFile } from 'node:fs/promises';
import { describe, expect, it, beforeAll } from 'vitest';
import { assertKeyringSession, inPrivateSession, keyringBus, privateEnv, probeCommand, probeResults } from './keyring-session';

const SECRET = 'restart-secret-Qv27-never-printed';

describe('the keyring daemon dies while answering', () => {
  beforeAll(async () => {
    await assertKeyringSession();
  });

  it('the read is tried once more and gets the secret from the daemon D-Bus started again', async () => {
    const bus = await keyringBus();
    const env = await privateEnv({ XDG_DATA_HOME: bus.dataDir, PROBE_VALUE: SECRET });
    const daemon = `"$(tail -n 1 '${bus.startsLog}')"`;
    const script = [
      probeCommand(['set:acme:client-secret']), // D-Bus starts the first daemon
      'exec 3< <(exec dbus-monitor --session)',
      // The monitor is live once it reports losing its own name (it does so on becoming a monitor).
      'while IFS= read -r line <&3; do [[ $line == *member=NameLost* ]] && break; done',
      `kill -STOP ${daemon}`,
      `${probeCommand(['get:acme:client-secret'])} & probe=$!`,
      // The probe's first call is now queued at the frozen daemon: kill it there.
      'while IFS= read -r line <&3; do [[ $line == *destination=org.freedesktop.secrets*member=OpenSession* ]] && break; done',
      `kill -KILL ${daemon}`,
      'wait "$probe"',
    ].join('\n');
    const r = await inPrivateSession(script, env, bus.config);
    const [stored, read] = probeResults(r.stdout);
    expect(stored).toEqual({ ok: true, value: null });
    expect(read).toEqual({ ok: true, value: SECRET });
    const starts = (await readFile(bus.startsLog, 'utf8')).trim().split('\n');
    expect(starts).toHaveLength(2); // the killed daemon and the one that answered the second try
  });
});
