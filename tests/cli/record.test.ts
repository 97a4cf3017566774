// `record`: in-process for the behaviour, and a real process for what only a process shows (kill -9).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCassette } from '../../electron/core/recording/cassette-reader';
import { summarizeTurns } from '../../electron/core/recording/turns';
import { CLI, ensureCliBuilt } from '../helpers/cli';
import { createChanges } from '../helpers/until';
import { runCli } from '../core/recording/helpers/in-process-cli';

const dir = mkdtempSync(join(tmpdir(), 'record-cli-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('record', () => {
  it('records a multi-turn dialog from a script (plain and JSON lines); progress on stderr, nothing on stdout', async () => {
    const s = script('dialog.txt', '# a comment\nWhat is streaming?\n\n{"input":"card please","scenario":"pii"}\r\nThanks!\n');
    const out = join(dir, 'dialog.jsonl');
    const r = await runCli(['record', '--env', 'demo', '--script', s, '--out', out, '--speed', '0'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[2/3] "card please" (scenario pii)');
    expect(r.stderr).toMatch(/wrote \d+ lines \(3 turns\) to /);
    const c = readCassette(out);
    expect(c.header).toMatchObject({ upstream: 'gateway', scenario: 'happy', speed: 0, redacted: false, environment: { name: 'demo', kind: 'gateway' } });
    const turns = summarizeTurns(c.events);
    expect(turns.map((t) => [t.input, t.scenario, t.status])).toEqual([
      ['What is streaming?', undefined, 'complete'],
      ['card please', 'pii', 'complete'],
      ['Thanks!', undefined, 'complete'],
    ]);
    expect(turns[1]?.filteredText).toContain('[CREDIT_CARD]');
    expect(turns.every((t) => t.syncs.some((x) => x.state === 'synced'))).toBe(true);
  });

  it('refuses to overwrite without --force; --redact writes a shareable cassette', async () => {
    const s = script('pii.txt', '{"input":"card please","scenario":"pii"}\n');
    const out = join(dir, 'pii.jsonl');
    expect((await runCli(['record', '--env', 'demo', '--script', s, '--out', out, '--speed', '0'], { env })).code).toBe(0);
    const again = await runCli(['record', '--env', 'demo', '--script', s, '--out', out, '--speed', '0', '--redact'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists \(refusing to overwrite/);
    const r = await runCli(['record', '--env', 'demo', '--script', s, '--out', out, '--speed', '0', '--redact', '--force'], { env });
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.replace(/\D/g, '')).not.toContain('4111111111111111');
    expect(text).not.toContain('"raw.text"');
    expect(readCassette(out).header.redacted).toBe(true);
  });

  it('a partial turn exits 6 like stream, and the dialog goes on', async () => {
    const s = script('drop.txt', '{"input":"hello","scenario":"drop"}\nstill here?\n');
    const out = join(dir, 'drop.jsonl');
    const r = await runCli(['record', '--env', 'demo', '--script', s, '--out', out, '--speed', '0'], { env });
    expect(r.code).toBe(6);
    const turns = summarizeTurns(readCassette(out).events);
    expect(turns.map((t) => t.status)).toEqual(['partial', 'complete']);
  });

  it('script assertions are judged on the recording and written to the sidecar that replay reads', async () => {
    const s = script(
      'asserted.txt',
      [
        '{"input": "What is streaming?", "assert": [{"kind": "contains", "text": "snake_case"}, {"kind": "messages", "max": 1}]}',
        'And the second point?',
        '{"input": "card please", "scenario": "pii", "assert": [{"kind": "ttft", "max": 0}, {"kind": "noHit", "type": "CREDIT_CARD", "actions": ["off"]}]}',
      ].join('\n'),
    );
    const out = join(dir, 'asserted.jsonl');
    const r = await runCli(['record', '--env', 'demo', '--script', s, '--out', out, '--speed', '0'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^✗ line 3: assert\[0\] assert\.ttft: expected TTFT ≤ 0 ms, got \d+ ms$/m);
    expect(r.stderr.match(/^✗ /gm)).toHaveLength(1);
    const sidecar = join(dir, 'asserted.assert.json');
    expect(r.stderr).toContain(`assertions of 2 turn(s) written to ${sidecar}`);
    expect(JSON.parse(readFileSync(sidecar, 'utf8'))).toEqual({
      turns: [
        { input: 'What is streaming?', assert: [{ kind: 'contains', text: 'snake_case' }, { kind: 'messages', max: 1 }] },
        { input: 'And the second point?' },
        { input: 'card please', assert: [{ kind: 'ttft', max: 0 }, { kind: 'noHit', type: 'CREDIT_CARD', actions: ['off'] }] },
      ],
    });
    // Recording again over it needs --force, for the assertions as for the cassette.
    const again = await runCli(['record', '--env', 'demo', '--script', s, '--out', join(dir, 'other.jsonl'), '--speed', '0'], { env });
    expect(again.code).toBe(0);
    writeFileSync(join(dir, 'other2.assert.json'), '{}');
    const refused = await runCli(['record', '--env', 'demo', '--script', s, '--out', join(dir, 'other2.jsonl'), '--speed', '0'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('other2.assert.json already exists (refusing to overwrite its assertions; --force replaces it)');
    expect(existsSync(join(dir, 'other2.jsonl'))).toBe(false);

    const replay = await runCli(['replay', out, '--env', 'demo', '--speed', '0'], { env });
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/asserted\.jsonl turn 3: card please\n(?: {2}.*\n)*? {2}check assert\.ttft \(turns\[2\]\.assert\[0\]\)\n {4}expected: TTFT ≤ 0 ms\n/);
    expect(replay.stdout).toMatch(/FAIL: 1 cassette, 3 turns: 2 passed, 1 failed, 0 errors/);
  });

  it('names bad arguments and bad script lines (exit 2)', async () => {
    const bad = script('bad.txt', 'fine\n{"input": "x", "scenario": "nope"}\n');
    const r1 = await runCli(['record', '--env', 'demo', '--script', bad, '--out', join(dir, 'x.jsonl')], { env });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/bad\.txt: line 2: scenario: unknown scenario "nope" \(one of happy, /);
    const bad2 = script('bad2.txt', '{"input": "x",\n');
    const r2 = await runCli(['record', '--env', 'demo', '--script', bad2, '--out', join(dir, 'x.jsonl')], { env });
    expect(r2.stderr).toMatch(/bad2\.txt: line 1: invalid JSON( at column \d+)? \(a line starting with/);
    const r3 = await runCli(['record', '--env', 'demo', '--script', bad], { env });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/--out FILE is required/);
    const r4 = await runCli(['record', '--env', 'demo', '--script', script('empty.txt', '# nothing\n\n'), '--out', join(dir, 'x.jsonl')], { env });
    expect(r4.stderr).toMatch(/no user input/);
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false);
    expect((await runCli(['record', '--help'])).stdout).toMatch(/^Usage: npm run cli -- record/);
  });
});

describe('record in a real process', () => {
  beforeAll(async () => {
    await ensureCliBuilt();
  }, 120_000);

  it('kill -9 in the middle of a dialog leaves a readable cassette up to the last complete line', async () => {
    // Turn 1 completes; turn 2 is killed after its third token, long before its end. (No timeout in the
    // picture: a stall timing out against the simulator's first-token delay raced under CPU starvation.)
    const s = script('long.txt', 'hi\nsecond question\nthird question\n');
    const out = join(dir, 'killed.jsonl');
    const child = spawn(process.execPath, [CLI, 'record', '--env', 'demo', '--script', s, '--out', out, '--speed', '2', '--no-sync'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
    // Wait until the second turn is streaming: its turn.start and a few of its tokens are on disk. The
    // directory is watched: every write to the cassette re-checks.
    const changes = createChanges();
    const watcher = watch(dir, () => changes.notify());
    try {
      await changes.until(
        () => {
          const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
          const starts = text.split('\n').filter((l) => l.includes('"type":"turn.start"')).length;
          const after = text.slice(text.lastIndexOf('"type":"turn.start"'));
          return starts >= 2 && (after.match(/"type":"token"/g) ?? []).length >= 3;
        },
        `the recording to reach the second turn (stderr: ${stderr})`,
        30_000,
      );
    } finally {
      watcher.close();
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const c = readCassette(out);
    const turns = summarizeTurns(c.events);
    expect(turns.length).toBe(2);
    expect(turns[0]).toMatchObject({ status: 'complete' });
    expect(turns[1]?.status).toBe('incomplete');
    expect(turns[1]?.tokens.length).toBeGreaterThanOrEqual(3);
    expect(c.warnings.join('\n')).toMatch(/has no turn.end \(the recording stopped during that turn\)/);
  }, 60_000);
});
