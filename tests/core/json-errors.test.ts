// Issue 11 §6: a corrupt settings.json falls back to the defaults (reported once, the file kept for the
// user), and no parser message quotes file content ("Unexpected token … #card 4111 …") anywhere: every
// loader says where the JSON broke through json-error.ts, never what was there.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSettingsStore, defaultSettings } from '../../electron/core/settings/settings-store';
import { createEnvironmentStore } from '../../electron/core/environments/environment-store';
import { DEFAULT_FALLBACKS } from '../../electron/core/fallbacks';
import { parseCassette } from '../../electron/core/recording/cassette-reader';
import { parseDialogScript } from '../../shared/dialog-script';
import { createOutbox } from '../../electron/core/sync/outbox';
import { currentOwner } from '../../electron/core/sync/owner';

const SECRETISH = '#card 4111111111111111';
const BROKEN = `{"fallbacks": ${SECRETISH} }`;
const dir = mkdtempSync(join(tmpdir(), 'json-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const messageOf = async (f: () => unknown): Promise<string> => {
  try {
    await f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
};

describe('corrupt settings.json', () => {
  it('falls back to the defaults, reports it once without quoting it, and keeps the file', async () => {
    const d = join(dir, 'settings');
    mkdirSync(d);
    writeFileSync(join(d, 'settings.json'), BROKEN);
    const issues: string[] = [];
    const store = createSettingsStore(d, defaultSettings(DEFAULT_FALLBACKS), { onIssue: (m) => issues.push(m) });
    expect(await store.get()).toEqual(defaultSettings(DEFAULT_FALLBACKS));
    expect(await store.get()).toEqual(defaultSettings(DEFAULT_FALLBACKS));
    expect(issues).toHaveLength(1); // reported once, however often read
    expect(issues[0]).toMatch(/settings\.json is not valid JSON/);
    expect(issues[0]).not.toContain('4111');
    expect(readFileSync(join(d, 'settings.json'), 'utf8')).toBe(BROKEN);
    // Saving new settings keeps the damaged file next to it instead of overwriting it.
    await store.set({ ...defaultSettings(DEFAULT_FALLBACKS), stallThresholdMs: 1234 });
    const aside = readdirSync(d).filter((n) => n.startsWith('settings.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(d, aside[0]!), 'utf8')).toBe(BROKEN);
  });
});

describe('no loader quotes the content of a broken JSON file', () => {
  it('environment file', async () => {
    const d = join(dir, 'envs');
    mkdirSync(join(d, 'environments'), { recursive: true });
    writeFileSync(join(d, 'environments', 'acme.json'), BROKEN);
    const msg = await messageOf(() => createEnvironmentStore(d).get('acme'));
    expect(msg).toMatch(/not valid JSON/);
    expect(msg).not.toContain('4111');
  });

  it('outbox (moved aside, reported)', async () => {
    const d = join(dir, 'outbox');
    mkdirSync(d);
    writeFileSync(join(d, 'outbox.json'), BROKEN);
    const issues: string[] = [];
    const o = createOutbox(join(d, 'outbox.json'), { owner: currentOwner('t'), onIssue: (i) => issues.push(i.message) });
    await o.update(() => undefined);
    expect(issues.join('\n')).toMatch(/is not valid JSON/);
    expect(issues.join('\n')).not.toContain('4111');
  });

  it('cassette and dialog script', async () => {
    const cassette = await messageOf(() => parseCassette(`${BROKEN}\n`, 'c.jsonl'));
    expect(cassette).toMatch(/invalid JSON/);
    expect(cassette).not.toContain('4111');
    const script = await messageOf(() => parseDialogScript(`${BROKEN}\n`, 's.txt'));
    expect(script).toMatch(/invalid JSON/);
    expect(script).not.toContain('4111');
  });
});
