// Benchmark: recorded turns replayed at --speed 0 against the in-process demo simulator, through the same
// code path as `npm run cli -- replay` (goal: 1,000 turns in ≤ 5 s, and linear in turns). Records the
// cassettes first (20 dialogs × 50 turns, mixed scenarios), then replays the first 250, 500 and 1,000 turns
// (5, 10, 20 cassettes) one after another in this one run, so the turns/s of the three can be compared:
// linear means the same turns/s for each. The first set also pays a one-off start-up (the replay's own code
// warming up), so the per-turn cost is also given as the slope between sets (CPU and wall), with the fixed
// cost that is left: linear means the slope stays the same. A warm-up paid by the first set only makes the
// first slope look lower than the next, so the bench also reads the CPU time of every cassette as the
// replay reports it done (this process runs the CLI), and compares the turns of the second half of the
// largest set, each after 500+ earlier turns, with those of its first half: per-turn cost that grows with
// earlier turns shows there, start-up or not. Prints numbers with the machine's load, asserts nothing.
// Run: node --import tsx scripts/bench/replay.ts [--turns 1000] [--per-cassette 50]
import { mkdirSync, mkdtempSync, rmSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { main } from '../../electron/cli/index';
import { load } from './lib/machine';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '1000' }, 'per-cassette': { type: 'string', default: '50' } } });
const total = Number(values.turns);
const per = Number(values['per-cassette']);
const SCENARIOS = ['happy', 'pii', 'emoji-split', 'binary-utf8', 'no-usage'];

/** Calls `onLine` with each complete line the command writes to stderr, as it is written. */
async function cli(argv: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    const from = err.length;
    err += d.toString();
    if (!onLine) return;
    const start = err.lastIndexOf('\n', from - 1) + 1;
    const lines = err.slice(start).split('\n');
    lines.pop(); // the unfinished rest (or '' after a newline) comes again with the next write
    for (const l of lines) onLine(l);
  });
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
  const files: Array<{ path: string; turns: number }> = [];
  for (let c = 0; c < cassettes; c++) {
    const n = Math.min(per, total - recorded);
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ input: `Question ${c}-${i}: what about item ${(i * 7) % 13}?`, scenario: SCENARIOS[(c + i) % SCENARIOS.length] }));
    writeFileSync(join(dir, `script-${c}.txt`), `${lines.join('\n')}\n`);
    const path = join(dir, 'cassettes', `dialog-${String(c).padStart(3, '0')}.jsonl`);
    const r = await cli(['record', '--env', 'demo', '--speed', '0', '--script', join(dir, `script-${c}.txt`), '--out', path], env);
    if (r.code !== 0) throw new Error(`recording failed (${r.code}):\n${r.stderr}`);
    files.push({ path, turns: n });
    recorded += n;
  }
  const recordMs = performance.now() - t0;
  console.log(`recorded ${recorded} turns in ${cassettes} cassettes: ${(recordMs / 1000).toFixed(1)} s  [${load()}]`);

  // The first 1/4, 1/2 and all of the turns, each set a directory of links to whole cassettes.
  const sets = [...new Set([Math.ceil(cassettes / 4), Math.ceil(cassettes / 2), cassettes])];
  const rates: number[] = [];
  const runs: Array<{ turns: number; wallMs: number; cpuMs: number }> = [];
  for (const count of sets) {
    const setDir = join(dir, `set-${count}`);
    mkdirSync(setDir);
    for (const f of files.slice(0, count)) linkSync(f.path, join(setDir, f.path.split('/').pop()!));
    const turns = files.slice(0, count).reduce((a, f) => a + f.turns, 0);
    const mem0 = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    // CPU ms at the end of each cassette (the CLI's non-TTY progress prints one line per cassette done).
    const cassetteCpu: number[] = [];
    const cpuNow = () => {
      const c = process.cpuUsage(cpu0);
      return (c.user + c.system) / 1000;
    };
    const r = await cli(['replay', setDir, '--env', 'demo', '--speed', '0', '--junit', join(dir, `junit-${count}.xml`)], env, (l) => {
      if (/^(PASS|FAIL) /.test(l)) cassetteCpu.push(cpuNow());
    });
    const replayMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    const mem1 = process.memoryUsage().rss;
    const rate = turns / (replayMs / 1000);
    rates.push(rate);
    runs.push({ turns, wallMs: replayMs, cpuMs: (cpu.user + cpu.system) / 1000 });
    const summary = r.stdout.trim().split('\n').at(-1);
    console.log(
      `replayed ${String(turns).padStart(5)} turns (${count} cassettes) at --speed 0: ${(replayMs / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ` +
        `${(replayMs / turns).toFixed(1)} ms/turn, ${rate.toFixed(0)} turns/s; rss ${(mem0 / 2 ** 20).toFixed(0)} → ${(mem1 / 2 ** 20).toFixed(0)} MiB  [${load()}]`,
    );
    console.log(`  verdict: exit ${r.code}; ${summary}`);
    if (r.code !== 0) console.log(r.stdout.split('\n').slice(0, 40).join('\n'));
    if (turns === total) console.log(`${replayMs <= 5000 ? 'PASS' : 'FAIL'} ${turns} turns in ${(replayMs / 1000).toFixed(2)} s (target ≤ 5 s on a quiet machine)  [${load()}]`);
    if (count === sets.at(-1) && cassetteCpu.length === count && count >= 4) {
      // Halves by cassettes, leaving out the first (the replay's own warm-up) and the end of the run (report).
      const perTurn = (from: number, to: number) => {
        const t = files.slice(from, to).reduce((a, f) => a + f.turns, 0);
        return (cassetteCpu[to - 1]! - cassetteCpu[from - 1]!) / t;
      };
      const mid = Math.floor(count / 2);
      const first = perTurn(1, mid);
      const second = perTurn(mid, count);
      console.log(
        `per turn within the ${turns}-turn run: cassettes 2–${mid} ${first.toFixed(2)} ms CPU, ${mid + 1}–${count} ${second.toFixed(2)} ms CPU: ${(second / first).toFixed(2)}× (1.00 = no growth with earlier turns)  [${load()}]`,
      );
    }
  }
  if (rates.length > 1) {
    const first = rates[0]!;
    console.log(`linearity: turns/s relative to the smallest set: ${rates.map((r) => (r / first).toFixed(2)).join(' / ')} (1.00 each = linear in turns)`);
    // Per-turn cost between consecutive sets (the difference of two runs, so the start-up cancels out).
    const steps = runs.slice(1).map((r, i) => {
      const p = runs[i]!;
      const dt = r.turns - p.turns;
      return `${p.turns}→${r.turns}: ${((r.cpuMs - p.cpuMs) / dt).toFixed(2)} ms CPU, ${((r.wallMs - p.wallMs) / dt).toFixed(2)} ms wall`;
    });
    console.log(`per turn between sets: ${steps.join('; ')}`);
    const a = runs[0]!;
    const b = runs.at(-1)!;
    const perTurnCpu = (b.cpuMs - a.cpuMs) / (b.turns - a.turns);
    const perTurnWall = (b.wallMs - a.wallMs) / (b.turns - a.turns);
    console.log(
      `per turn ${a.turns}→${b.turns}: ${perTurnCpu.toFixed(2)} ms CPU, ${perTurnWall.toFixed(2)} ms wall; fixed cost left (first set): ${((a.cpuMs - perTurnCpu * a.turns) / 1000).toFixed(2)} s CPU, ${((a.wallMs - perTurnWall * a.turns) / 1000).toFixed(2)} s wall  [${load()}]`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
