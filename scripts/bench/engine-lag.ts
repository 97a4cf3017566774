// Engine event-loop lag (issue 13): drives the session engine at ~2,000 tokens/s through one ~100k-token
// answer from the simulator (in a child process, so its work does not count) and prints the client's
// event-loop lag p50 / p99 / max during the stream and around the end of the turn (the last second of the
// stream until a second after the turn's summary), against the targets p99 <= 10 ms, max <= 25 ms.
// An idle probe first shows the lag the machine alone causes (a shared machine adds its own).
// Run: npm run bench engine-lag [-- BENCH_LAG_TOKENS=... env]; about a minute.
import { randomBytes } from 'node:crypto';
import { Environment } from '../../shared/environment';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';
import { createSessionEngine } from '../../electron/core/session/session-engine';
import { startSimulatorProcess } from './lib/simulator-process';
import { load, startLagProbe, stats, verdict, type Stats } from './lib/machine';

const TOKENS = Number(process.env.BENCH_LAG_TOKENS ?? 100_000);
const RATE = 2_000;
/** The simulator's mean token gap is 40 ms at speed 1. */
const SPEED = (RATE * 40) / 1000;
const fmt = (s: Stats) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${s.n} samples)`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const creds = { clientId: 'bench', clientSecret: randomBytes(12).toString('hex'), urlToken: 'u', apiKey: 'k' };
  const sim = await startSimulatorProcess(creds, SPEED);
  const environment = Environment.parse({ name: 'bench', kind: 'gateway', gateway: { host: `127.0.0.1:${sim.port}`, clientId: creds.clientId } });
  const engine = createSessionEngine({ environment, secrets: createMemoryStore({ bench: { 'client-secret': creds.clientSecret } }) });
  let lastTokenAt = 0;
  let firstTokenAt = 0;
  engine.subscribe((e) => {
    if (e.type !== 'token') return;
    lastTokenAt = performance.now();
    if (!firstTokenAt) firstTokenAt = lastTokenAt;
  });
  // Warm-up (JIT, tokenizer, connection) and the answer size per repeat of the scenario's body.
  const warm = await engine.startTurn({ input: 'warm up', scenario: 'happy', repeat: 10 });
  const repeat = Math.max(1, Math.round((TOKENS / warm.tokenCount) * 10));

  const idle = startLagProbe();
  const i0 = performance.now();
  await sleep(2_000);
  idle.stop();
  const idleStats = stats(idle.window(i0, performance.now()));
  console.log(`idle process, same probe:   ${fmt(idleStats)}  [${load()}]`);

  firstTokenAt = 0;
  const probe = startLagProbe();
  const t0 = performance.now();
  const s = await engine.startTurn({ input: 'bench: one long answer', scenario: 'happy', repeat });
  const summaryAt = performance.now();
  await sleep(1_000);
  probe.stop();
  await engine.close();
  sim.stop();
  if (s.status !== 'complete') throw new Error(`the turn ended ${s.status}: ${s.error}`);

  const streamSecs = (lastTokenAt - firstTokenAt) / 1000;
  const during = stats(probe.window(t0, lastTokenAt - 1_000));
  const end = stats(probe.window(lastTokenAt - 1_000, summaryAt + 1_000));
  console.log(`answer: ${s.tokenCount} tokens, ${s.rawText.length} characters in ${streamSecs.toFixed(1)} s = ${(s.tokenCount / streamSecs).toFixed(0)} tokens/s (target rate ${RATE}); turn end took ${(summaryAt - lastTokenAt).toFixed(1)} ms after the last token`);
  console.log(`lag during the stream:      ${fmt(during)}  [${load()}]`);
  console.log(`lag around the turn's end:  ${fmt(end)}  [${load()}]`);
  for (const [name, st] of [['stream', during], ['turn end', end]] as const) {
    console.log(`${verdict(st.p99 <= 10)} ${name}: p99 ${st.p99.toFixed(1)} ms (target <= 10 ms); ${verdict(st.max <= 25)} max ${st.max.toFixed(1)} ms (target <= 25 ms)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
