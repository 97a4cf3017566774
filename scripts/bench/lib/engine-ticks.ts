// How the session engine groups tokens into filter scans (issue 13: one scan per event-loop tick). Runs a
// real turn of the demo simulator in this process — the simulator and the engine share the event loop, as
// in `replay --speed 0` and in the app's demo — and records, at each filter step (through the injected
// filter clock, read twice per step), how many tokens' text it scans. Prints one JSON line:
// { replay: number[], live: number[], tokens: {replay, live} } — tokens per tick scan, the end step left out.
// Run by scripts/bench/filters.ts in a child process, so the engine's modules do not share its heap.
import { randomBytes } from 'node:crypto';
import { Environment } from '../../../shared/environment';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { createSimulator } from '../../../electron/core/simulator';

/** The simulator's mean token gap is 40 ms at speed 1: speed 80 is 2,000 tokens/s. */
const LIVE_SPEED = 80;

async function ticks(speed: number, repeat: number): Promise<{ sizes: number[]; tokens: number }> {
  const creds = { clientId: 'bench', clientSecret: randomBytes(12).toString('hex'), urlToken: 'u', apiKey: 'k' };
  const sim = await createSimulator({ port: 0, speed, ...creds });
  const environment = Environment.parse({ name: 'bench', kind: 'gateway', gateway: { host: `127.0.0.1:${sim.port}`, clientId: creds.clientId } });
  let on = false;
  let since = 0;
  let reads = 0;
  const sizes: number[] = [];
  const clock = () => {
    if (on && reads++ % 2 === 0) {
      sizes.push(since);
      since = 0;
    }
    return 0;
  };
  const engine = createSessionEngine({ environment, secrets: createMemoryStore({ bench: { 'client-secret': creds.clientSecret } }), filterClock: clock });
  engine.subscribe((e) => {
    if (on && e.type === 'raw.text') since++;
  });
  await engine.startTurn({ input: 'warm up', scenario: 'happy', repeat: 5 });
  on = true;
  const s = await engine.startTurn({ input: 'bench: how are the tokens grouped?', scenario: 'happy', repeat });
  on = false;
  await engine.close();
  await sim.close();
  if (s.status !== 'complete') throw new Error(`the tick probe's turn ended ${s.status}: ${s.error}`);
  return { sizes: sizes.slice(0, -1), tokens: s.tokenCount };
}

const replay = await ticks(0, 100);
const live = await ticks(LIVE_SPEED, 20);
console.log(JSON.stringify({ replay: replay.sizes, live: live.sizes, tokens: { replay: replay.tokens, live: live.tokens } }));
