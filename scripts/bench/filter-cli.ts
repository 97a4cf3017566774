// The `filter` CLI end to end (issue 13): the built CLI and a one-regex program with the same JSONL input
// and output (lib/one-regex-filter.mjs) on the same files in one run — whole texts and GPT-token arrays —
// and the ratio of their times (target <= 2x); then the CLI's start-up on empty input (target <= 0.25 s)
// beside a bare `node -e 0`. Each figure is the median of alternating runs, printed with the machine load:
// seven by default, since on two cores one run's ratio ranges over ±25% (the compiler and GC threads share
// the second core with whatever else runs). Then, for information, the same on ten times the input: there
// start-up and warm-up weigh little, and the ratio is the filter's scan against the JSONL I/O alone.
// Every program here runs with the Node options the project starts the CLI with (scripts/cli-node-options.mjs),
// the baseline and the bare `node` too: the same runtime for all, as a user's `npm run cli` gets it.
// Run: npm run bench filter-cli [-- --mb 2 --runs 7]; about a minute on a quiet machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { encode, decode } from 'gpt-tokenizer';
import { createPrng } from '../../electron/core/simulator/prng';
import { CLI_NODE_OPTIONS } from '../cli-node-options.mjs';
import { corpus } from './lib/corpus';
import { load, median, verdict } from './lib/machine';

const { values: args } = parseArgs({ options: { mb: { type: 'string', default: '2' }, runs: { type: 'string', default: '7' } } });
const runs = Number(args.runs);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cliEntry = join(root, 'out/cli/index.js');
const baseline = join(root, 'scripts/bench/lib/one-regex-filter.mjs');
const reportCpu = join(root, 'scripts/bench/lib/report-cpu.mjs');

// Build the CLI if its sources changed (what `npm run cli` does), so the figures are of this tree.
const build = spawnSync(process.execPath, [join(root, 'scripts/cli.mjs'), '--version'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) throw new Error('building the CLI failed');

const dir = mkdtempSync(join(tmpdir(), 'bench-filter-cli-'));
try {
  const rnd = createPrng(13).next;
  const text = corpus(Number(args.mb) * 1024 * 1024, rnd, 0.003);
  // Records of 2–8 KB, as answers are; once as whole texts, once as the GPT tokens a stream would bring.
  const records: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 2048 + Math.floor(rnd() * 6144);
    records.push(text.slice(i, i + n));
    i += n;
  }
  const files = {
    'whole texts': records.map((t, i) => JSON.stringify({ id: `r${i}`, chunks: [t] })).join('\n') + '\n',
    'GPT-token arrays': records.map((t, i) => JSON.stringify({ id: `r${i}`, chunks: encode(t).map((x) => decode([x])) })).join('\n') + '\n',
  };
  const mb = Buffer.byteLength(text) / 2 ** 20;
  console.log(`input: ${records.length} records, ${mb.toFixed(2)} MB of text; ${runs} runs each  [${load()}]`);

  /**
   * Wall-clock and CPU time (user + system, of the child itself) of one run, and its main thread's CPU time
   * (null where the OS does not tell): on a loaded machine the best stand-in for a quiet machine's wall clock.
   */
  const time = (argv: string[], input: Buffer | string): { ms: number; cpuMs: number; mainMs: number | null; stdout: string } => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [...CLI_NODE_OPTIONS, '--import', pathToFileURL(reportCpu).href, ...argv], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited with ${r.status}`);
    const cpu = JSON.parse(String(r.output[3])) as { cpuMs: number; mainMs: number | null };
    return { ms, ...cpu, stdout: r.stdout.toString('utf8') };
  };

  // The target rows, then for information the whole texts ten times over, as one long pipe.
  const cases = [
    { name: 'whole texts', input: files['whole texts'], copies: 1, target: true, times: runs },
    { name: 'GPT-token arrays', input: files['GPT-token arrays'], copies: 1, target: true, times: runs },
    { name: 'whole texts x10 (info)', input: files['whole texts'].repeat(10), copies: 10, target: false, times: Math.min(runs, 3) },
  ];
  for (const { name, input, copies, target, times } of cases) {
    const path = join(dir, 'in.jsonl');
    writeFileSync(path, input);
    const data = readFileSync(path);
    const cli: number[] = [];
    const base: number[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const mainRatios: number[] = [];
    for (let k = 0; k < times; k++) {
      const c = time([cliEntry, 'filter', '--hash-salt', 'bench'], data);
      const b = time([baseline], data);
      const lines = c.stdout.split('\n').filter(Boolean);
      const expected = records.length * copies;
      if (lines.length !== expected || !lines.every((l) => 'output' in (JSON.parse(l) as object))) throw new Error(`the CLI answered ${lines.length} of ${expected} records`);
      cli.push(c.ms);
      base.push(b.ms);
      ratios.push(c.ms / b.ms);
      cpuRatios.push(c.cpuMs / b.cpuMs);
      if (c.mainMs !== null && b.mainMs !== null) mainRatios.push(c.mainMs / b.mainMs);
    }
    const ratio = median(ratios);
    const cpuRatio = median(cpuRatios);
    const inMb = mb * copies;
    console.log(`${name}: filter CLI ${median(cli).toFixed(0)} ms (${(inMb / (median(cli) / 1000)).toFixed(1)} MB/s), one-regex baseline ${median(base).toFixed(0)} ms (${(inMb / (median(base) / 1000)).toFixed(1)} MB/s)  [${load()}]`);
    const mainRatio = mainRatios.length ? `; ${median(mainRatios).toFixed(2)}x in main-thread CPU time (per run ${mainRatios.map((r) => r.toFixed(2)).join(', ')})` : '';
    console.log(`${target ? verdict(ratio <= 2) : 'info'} ${name}: CLI / baseline = ${ratio.toFixed(2)}x wall clock (per run ${ratios.map((r) => r.toFixed(2)).join(', ')}); ${cpuRatio.toFixed(2)}x in CPU time (per run ${cpuRatios.map((r) => r.toFixed(2)).join(', ')})${mainRatio}${target ? '; target <= 2x' : ''}`);
  }

  const startup: Array<{ ms: number; cpuMs: number }> = [];
  const bare: Array<{ ms: number; cpuMs: number }> = [];
  for (let k = 0; k < Math.max(5, runs); k++) {
    startup.push(time([cliEntry, 'filter'], ''));
    bare.push(time(['-e', '0'], ''));
  }
  const s = median(startup.map((r) => r.ms)) / 1000;
  const sCpu = median(startup.map((r) => r.cpuMs)) / 1000;
  console.log(`start-up on empty input: filter CLI ${s.toFixed(3)} s wall, ${sCpu.toFixed(3)} s CPU; bare node ${(median(bare.map((r) => r.ms)) / 1000).toFixed(3)} s wall, ${(median(bare.map((r) => r.cpuMs)) / 1000).toFixed(3)} s CPU (medians of ${startup.length})  [${load()}]`);
  console.log(`${verdict(s <= 0.25)} filter CLI start-up ${s.toFixed(3)} s wall clock, ${sCpu.toFixed(3)} s CPU time (target <= 0.25 s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
