// The one environment lifecycle of the app and the CLI, against the real environment store in a temp dir
// and the real OS keychain (gnome-keyring of `bash scripts/test.sh`, under a keychain service of its own),
// and — in a child process whose session bus has no Secret Service — what an unreachable keychain does:
// a known secret is never stranded (nothing changes, the error names it), an environment without one is
// still removed, and keepSecrets removes only the settings.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserEnvironmentService, type EnvironmentService } from '../../../electron/core/environments/environment-service';
import { createKeyringStore } from '../../../electron/core/secrets/keyring-store';
import { createSecretBindings } from '../../../electron/core/secrets/secret-binding';
import type { SecretStore } from '../../../electron/core/secrets/secret-store';
import type { EnvironmentInput, SecretKind } from '../../../shared/environment';
import { assertKeyringSession, privateEnv, ROOT, run, secretToolSearch } from '../secrets/keyring-session';

const PROBE = path.join(ROOT, 'tests/core/environments/fixtures/service-probe.ts');
const KEYCHAIN = `csd-env-service-${randomBytes(3).toString('hex')}`;
const SECRET = `svc-${randomBytes(9).toString('base64url')}`;
const gw = (name: string, host = 'acme.cognigy.ai'): EnvironmentInput => ({ name, kind: 'gateway', gateway: { host, clientId: 'client-1' } });

let dir: string;
let service: EnvironmentService;
let keychain: SecretStore;

async function stored(): Promise<Array<{ account: string | undefined }>> {
  return (await secretToolSearch(KEYCHAIN)).map((i) => ({ account: i.attributes.username }));
}

beforeAll(async () => {
  await assertKeyringSession();
  dir = await mkdtemp(path.join(os.tmpdir(), 'csd-env-service-'));
  keychain = createKeyringStore({ service: KEYCHAIN });
  ({ service } = createUserEnvironmentService(dir, { keychain }));
});

afterAll(async () => {
  for (const { account } of await stored()) {
    const [env, kind] = (account ?? '').split('/') as [string, SecretKind];
    await keychain.delete(env, kind).catch(() => undefined);
  }
});

describe('environment service on the real keychain', () => {
  it('create, rename (the secret moves), duplicate (copied), clear, remove (the secrets go)', async () => {
    await service.create(gw('acme'));
    await expect(service.create(gw('acme'))).rejects.toMatchObject({ name: 'EnvironmentInputError', code: 'exists' });
    expect(await service.setSecret('acme', 'client-secret', SECRET)).toEqual({ 'client-secret': 'set', 'api-key': 'not set' });

    const renamed = await service.update('acme', { ...gw('acme-eu'), description: 'prod' });
    expect(renamed).toMatchObject({ name: 'acme-eu', description: 'prod' });
    await expect(service.get('acme')).rejects.toMatchObject({ code: 'not-found', message: 'no environment named "acme"' });
    expect(await keychain.get('acme', 'client-secret')).toBeUndefined();
    expect(await keychain.get('acme-eu', 'client-secret')).toBe(SECRET);

    const dup = await service.duplicate('acme-eu', 'acme-us');
    expect(dup).toEqual({ environment: expect.objectContaining({ name: 'acme-us', description: 'prod' }) });
    expect(await keychain.get('acme-us', 'client-secret')).toBe(SECRET);
    await expect(service.duplicate('acme-eu', 'acme-us')).rejects.toMatchObject({ code: 'exists' });

    expect(await service.clearSecret('acme-us', 'client-secret')).toBe(true);
    expect(await service.clearSecret('acme-us', 'client-secret')).toBe(false);
    expect(await service.status('acme-us')).toEqual({ 'client-secret': 'not set', 'api-key': 'not set' });

    expect(await service.remove('acme-eu')).toEqual({ secretsRemoved: ['client-secret'], secretsKept: [] });
    expect(await stored()).toEqual([]);
    expect(await service.remove('acme-us')).toEqual({ secretsRemoved: [], secretsKept: [] });
    await expect(service.remove('acme-us')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('an edit that points the environment elsewhere removes the secret entered for the old host', async () => {
    await service.create(gw('moving'));
    await service.setSecret('moving', 'client-secret', SECRET);
    await service.update('moving', { ...gw('moving'), description: 'same host' });
    expect(await keychain.get('moving', 'client-secret')).toBe(SECRET);
    await service.update('moving', gw('moving', 'other.cognigy.ai'));
    expect(await keychain.get('moving', 'client-secret')).toBeUndefined();
    expect(await createSecretBindings(dir).get('moving', 'client-secret')).toBeUndefined();
    await service.remove('moving');
  });

  it('the built-in demo cannot be changed, given secrets, duplicated or removed; it can be tested', async () => {
    await expect(service.create(gw('Demo'))).rejects.toMatchObject({ code: 'reserved', message: expect.stringMatching(/reserved for the built-in demo environment/) });
    for (const attempt of [
      () => service.update('demo', gw('demo2')),
      () => service.duplicate('demo', 'copy'),
      () => service.setSecret('demo', 'client-secret', 'x'),
      () => service.clearSecret('Demo', 'api-key'),
      () => service.remove('demo'),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ name: 'EnvironmentInputError', code: 'reserved', message: expect.stringMatching(/^"[Dd]emo" is the built-in demo environment: it (cannot be|makes up)/) });
    }
    const report = await service.test('demo');
    expect(report.ok).toBe(true);
    expect(report.lines.join('\n')).toMatch(/token granted/);
  });
});

describe('environment service without a Secret Service (child process)', () => {
  it('never strands a known secret; removes what has none; keepSecrets removes only the settings', async () => {
    await service.create(gw('kept'));
    await service.setSecret('kept', 'client-secret', SECRET);
    await service.create(gw('bare'));
    const env = await privateEnv({ SERVICE_DATA_DIR: dir, PROBE_SERVICE: KEYCHAIN, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    const r = await run(process.execPath, ['--import', 'tsx', PROBE, 'update:kept:kept2', 'duplicate:kept:copy', 'remove:kept', 'get:kept', 'remove-keep:kept', 'remove:bare'], { env });
    const [rename, dup, remove, still, keep, bare] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; value?: unknown; error?: { name: string; code: string; message: string; kinds: string[] } });
    expect(rename).toEqual({ ok: false, error: expect.objectContaining({ name: 'SecretsStuckError', code: 'keychain-unavailable', kinds: ['client-secret'], message: expect.stringMatching(/^"kept" was not renamed: the keychain cannot be reached: no Secret Service .*, so its client-secret cannot move to the new name/) }) });
    expect(dup).toEqual({ ok: true, value: { name: 'copy', notice: expect.stringMatching(/^Settings copied to "copy", but its client-secret could not be copied: the keychain cannot be reached/) } });
    expect(remove).toEqual({ ok: false, error: expect.objectContaining({ name: 'SecretsStuckError', kinds: ['client-secret'], message: expect.stringMatching(/^could not remove the secrets of "kept" \(its client-secret cannot be removed: the keychain cannot be reached.*\), so the environment was kept\.$/) }) });
    expect(still).toEqual({ ok: true, value: 'kept' });
    expect(keep).toEqual({ ok: true, value: { secretsRemoved: [], secretsKept: ['client-secret'] } });
    expect(bare).toEqual({ ok: true, value: { secretsRemoved: [], secretsKept: [] } });
    // Back with the keychain: the renamed copy never appeared, the kept secret is still there under its name.
    await expect(service.get('kept2')).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.get('kept')).rejects.toMatchObject({ code: 'not-found' });
    expect(await keychain.get('kept', 'client-secret')).toBe(SECRET);
    expect((await service.scan()).environments.map((e) => e.name)).toEqual(['demo', 'copy']);
    // No secret in any file of the data dir or in what the child said.
    for (const f of await readdir(dir, { recursive: true })) {
      const p = path.join(dir, String(f));
      if (f.toString().endsWith('.json')) expect(await readFile(p, 'utf8')).not.toContain(SECRET);
    }
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  }, 60_000);
});
