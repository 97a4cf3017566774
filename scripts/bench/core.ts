// Core client benchmark: tokens/s through the gateway client + event model (reassembly, filter, usage)
// from the simulator at --speed 0, event-loop lag p99 of the client while streaming, and the client's
// memory growth per 100k tokens. The simulator runs in a child process so it does not skew the numbers.
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Environment } from '../../shared/environment';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';
import { createSessionEngine } from '../../electron/core/session/session-engine';
import { load } from './lib/machine';
import { startSimulatorProcess } from './lib/simulator-process';

const TARGET_TOKENS = Number(process.env.BENCH_TOKENS ?? 200_000);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function main() {
  const creds = { clientId: 'bench', clientSecret: randomBytes(12).toString('hex'), urlToken: 'u', apiKey: 'k' };
  const sim = await startSimulatorProcess(creds);
  const environment = Environment.parse({ name: 'bench', kind: 'gateway', gateway: { host: `127.0.0.1:${sim.port}`, clientId: creds.clientId } });
  const engine = createSessionEngine({ environment, secrets: createMemoryStore({ bench: { 'client-secret': creds.clientSecret } }) });
  let tokens = 0;
  let events = 0;
  engine.subscribe((e) => {
    events++;
    if (e.type === 'token') tokens++;
  });
  await engine.startTurn({ input: 'warm up', scenario: 'happy', repeat: 20 }); // JIT, tokenizer load
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  tokens = 0;
  events = 0;
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const t0 = performance.now();
  let turns = 0;
  while (tokens < TARGET_TOKENS) {
    const s = await engine.startTurn({ input: `bench turn ${turns}`, scenario: 'happy', repeat: 400 });
    if (s.status !== 'complete') throw new Error(`turn ${turns} ended ${s.status}: ${s.error}`);
    turns++;
  }
  const secs = (performance.now() - t0) / 1000;
  lag.disable();
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  await engine.close();
  sim.stop();
  const perHundredK = ((heap1 - heap0) / tokens) * 100_000;
  console.log(`tokens streamed:             ${tokens} in ${turns} turns (${events} events)`);
  console.log(`throughput:                  ${(tokens / secs).toFixed(0)} tokens/s (gateway client + reassembly + filter + usage; simulator at speed 0 in another process)  [${load()}]`);
  console.log(`client event-loop lag p99:   ${(lag.percentile(99) / 1e6).toFixed(1)} ms (max ${(lag.max / 1e6).toFixed(1)} ms) at full speed (the paced figures: npm run bench engine-lag)  [${load()}]`);
  console.log(`client heap growth / 100k tokens: ${(perHundredK / 1024 / 1024).toFixed(2)} MB after GC`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
