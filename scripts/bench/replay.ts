// Benchmark: 1,000 recorded turns replayed at --speed 0 against the in-process demo simulator, through the
// same code path as `npm run cli -- replay` (goal: under 60 s on a 2-core machine). Records the cassettes
// first (10 dialogs × 100 turns, mixed scenarios), then times the replay. Prints numbers, asserts nothing.
// Run: node --import tsx scripts/bench/replay.ts [--turns 1000] [--per-cassette 100]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { main } from '../../electron/cli/index';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '1000' }, 'per-cassette': { type: 'string', default: '100' } } });
const total = Number(values.turns);
const per = Number(values['per-cassette']);
const SCENARIOS = ['happy', 'pii', 'emoji-split', 'binary-utf8', 'no-usage'];

async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(argv, { stdin: Readable.from(['']), stdout, stderr, env, signal: new AbortController().signal, isTTY: false });
  return { code, stdout: out, stderr: err };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
try {
  const cassettes = Math.ceil(total / per);
  mkdirSync(join(dir, 'cassettes'));
  const t0 = performance.now();
  let recorded = 0;
  for (let c = 0; c < cassettes; c++) {
    const n = Math.min(per, total - recorded);
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ input: `Question ${c}-${i}: what about item ${(i * 7) % 13}?`, scenario: SCENARIOS[(c + i) % SCENARIOS.length] }));
    writeFileSync(join(dir, `script-${c}.txt`), `${lines.join('\n')}\n`);
    const r = await cli(['record', '--env', 'demo', '--speed', '0', '--script', join(dir, `script-${c}.txt`), '--out', join(dir, 'cassettes', `dialog-${String(c).padStart(3, '0')}.jsonl`)], env);
    if (r.code !== 0) throw new Error(`recording failed (${r.code}):\n${r.stderr}`);
    recorded += n;
  }
  const recordMs = performance.now() - t0;

  const mem0 = process.memoryUsage().rss;
  const t1 = performance.now();
  const r = await cli(['replay', join(dir, 'cassettes'), '--env', 'demo', '--speed', '0', '--junit', join(dir, 'junit.xml')], env);
  const replayMs = performance.now() - t1;
  const mem1 = process.memoryUsage().rss;
  const summary = r.stdout.trim().split('\n').at(-1);
  console.log(`recorded ${recorded} turns in ${cassettes} cassettes: ${(recordMs / 1000).toFixed(1)} s`);
  console.log(`replayed ${recorded} turns at --speed 0 against the in-process simulator: ${(replayMs / 1000).toFixed(1)} s (${((replayMs / recorded) | 0)} ms/turn, ${(recorded / (replayMs / 1000)).toFixed(0)} turns/s) — goal < 60 s`);
  console.log(`replay verdict: exit ${r.code}; ${summary}`);
  console.log(`rss: ${(mem0 / 2 ** 20).toFixed(0)} MiB before replay, ${(mem1 / 2 ** 20).toFixed(0)} MiB after`);
  if (r.code !== 0) console.log(r.stdout.split('\n').slice(0, 40).join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
