// Core client benchmark: tokens/s through the gateway client + event model (reassembly, filter, usage)
// from the simulator at --speed 0, event-loop lag p99 while streaming, and memory growth per 100k tokens.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createSessionEngine } from '../../electron/core/session/session-engine';
import { openDemo } from '../../electron/core/session/open-environment';

const TARGET_TOKENS = Number(process.env.BENCH_TOKENS ?? 200_000);

async function main() {
  const demo = await openDemo({ speed: 0 });
  const engine = createSessionEngine({ environment: demo.environment, secrets: demo.secrets });
  let tokens = 0;
  let events = 0;
  engine.subscribe((e) => {
    events++;
    if (e.type === 'token') tokens++;
  });
  // Warm-up (JIT, tokenizer load).
  await engine.startTurn({ input: 'warm up', scenario: 'happy', repeat: 20 });
  (globalThis as { gc?: () => void }).gc?.();
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
  (globalThis as { gc?: () => void }).gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  await engine.close();
  await demo.close();
  const perHundredK = ((heap1 - heap0) / tokens) * 100_000;
  console.log(`tokens streamed:            ${tokens} in ${turns} turns, ${events} events`);
  console.log(`throughput:                 ${(tokens / secs).toFixed(0)} tokens/s (client + event model + filter, simulator at speed 0, same process)`);
  console.log(`event-loop lag p99:         ${(lag.percentile(99) / 1e6).toFixed(1)} ms (max ${(lag.max / 1e6).toFixed(1)} ms)`);
  console.log(`heap growth per 100k tokens: ${(perHundredK / 1024 / 1024).toFixed(2)} MB (after GC; ${((heap1 - heap0) / 1024 / 1024).toFixed(2)} MB total)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
