// UI benchmark: the built-in simulator streams one ~100k-token answer as fast as its pacing allows at the
// given speed (aiming at 2,000 tokens/s) through the app service and the browser-mode bridge into the real
// renderer in headless Chromium. Prints bridge messages per second (sent and received), renderer long tasks
// (> 50 ms) with long-animation-frame attribution, frames per second, DOM size and JS heap growth.
// Goals: ≤ 60 messages/s, no long task from token rendering, bounded heap, and no part of the window
// outside the lanes re-rendering per batch: the renderer is built here on React's profiling build, whose
// <Profiler>s (renderer/src/views/Counted.tsx) count commits per part while the details tabs are cycled
// through. Needs /usr/bin/chromium. Environment: BENCH_UI_TOKENS (120000: 60 s at 2,000 tokens/s), BENCH_UI_SPEED (82 ≈ 2,000 tokens/s; simulator
// pacing factor; 1 = ~25 tokens/s; 0 = as fast as the machine goes), BENCH_UI_MAX_SECONDS (180),
// BENCH_UI_PROFILE / BENCH_UI_TRACE (diagnostics; BENCH_UI_PROFILE=<s> starts the profile that many seconds in
// (0: from the send on; BENCH_UI_PROFILE_SECONDS long, 8),
// BENCH_UI_TRACE=<s> likewise (0: from the send on; 5 s of the main thread's tasks in wall and thread time), BENCH_UI_PROFILE_OUT=<file> keeps it as a .cpuprofile to open in devtools;
// BENCH_UI_CLICK_PROFILE=1 profiles each details-tab click and the frame after it; BENCH_UI_MESSAGES=1 times the
// app's handler of each event batch).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createDefaultDeps } from '../../electron/core/app/default-deps';
import { createBridgeServer } from '../../electron/core/bridge/bridge-server';
import { createMemoryStore } from '../../electron/core/secrets/memory-store';
import { APPLY_BUDGET_MS } from '../../renderer/src/store/session-slice';
import { load, verdict } from './lib/machine';
import { buildProfilingRenderer } from './lib/profiling-renderer';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAX_SECONDS = Number(process.env.BENCH_UI_MAX_SECONDS ?? 180);
/**
 * Two runs: the app at 2,000 tokens/s for 60 s, then fed at 20,000 tokens/s (what a replay at full speed in
 * the app sends). BENCH_UI_TOKENS / BENCH_UI_SPEED replace them with one run of your own.
 */
const PHASES: Array<{ speed: number; tokens: number; goal: string }> =
  process.env.BENCH_UI_SPEED || process.env.BENCH_UI_TOKENS
    ? [{ speed: Number(process.env.BENCH_UI_SPEED ?? 82), tokens: Number(process.env.BENCH_UI_TOKENS ?? 120_000), goal: 'custom' }]
    : [
        { speed: 82, tokens: 120_000, goal: '2,000 tokens/s' },
        { speed: 820, tokens: 100_000, goal: '20,000 tokens/s' },
      ];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

interface PageStats {
  longTasks: Array<{ start: number; duration: number }>;
  frames: number[];
  /** Arrival (performance.now) of each event batch. */
  messages: number[];
  loafs: Array<{ start: number; duration: number; blocking: number; scripts: number; layout: number; top: string }>;
}

/** Parts that show the stream itself and so follow its batches (the hold-back count is the raw lane's held text, counted); every other part must not. */
const LIVE_PARTS = new Set(['lanes', 'WebchatLane', 'HoldbackStrip.holdback']);
/** The details tabs, shown in turn while streaming so that each one's re-renders are counted. */
const TABS = ['Timing', 'Usage', 'Sync', 'Issues', 'Inspector'];

/**
 * CPU time (ms, user + system) used so far by the page's renderer processes of this Chromium profile (Linux
 * /proc; undefined elsewhere). CPU time, unlike long tasks and wall time, hardly moves with the machine's load:
 * it says what rendering a token costs on a shared machine.
 */
function rendererCpuMs(profileDir: string): { all: number; main: number } | undefined {
  if (process.platform !== 'linux') return undefined;
  const ticks = (statFile: string) => {
    const stat = readFileSync(statFile, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  };
  let all = 0;
  let main = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer') || !cmd.includes(profileDir)) continue;
      all += ticks(`/proc/${pid}/stat`);
      // The main thread (its id is the process's): where scripts, style, layout and paint run.
      main += ticks(`/proc/${pid}/task/${pid}/stat`);
    } catch {
      // The process ended meanwhile.
    }
  }
  return { all: (all * 1000) / 100, main: (main * 1000) / 100 };
}

async function main(): Promise<void> {
  const b0 = Date.now();
  const staticDir = await buildProfilingRenderer(ROOT);
  console.log(`renderer built on React's profiling build in ${((Date.now() - b0) / 1000).toFixed(1)} s  [${load()}]`);
  for (const p of PHASES) await runPhase(staticDir, p.speed, p.tokens, p.goal);
}

async function runPhase(staticDir: string, SPEED: number, TOKENS: number, goal: string): Promise<void> {
  /** The happy answer is ~89 tokens; the simulator repeats it to make one long answer. */
  const REPEAT = Math.max(1, Math.round(TOKENS / 89));
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error(`${staticDir} is missing: the profiling build failed`);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ui-'));
  const deps = createDefaultDeps({ mode: 'browser', dataDir, secrets: createMemoryStore(), demoSpeed: SPEED });
  // Benchmark-only: the simulator repeats the answer body so one turn lasts the whole run.
  const open = deps.openSession.bind(deps);
  deps.openSession = async (name, o) => {
    const h = await open(name, o);
    const engine = Object.assign(Object.create(h.engine) as typeof h.engine, { startTurn: (t: Parameters<typeof h.engine.startTurn>[0]) => h.engine.startTurn({ ...t, repeat: REPEAT }) });
    return { ...h, engine };
  };
  const sentAt: number[] = [];
  const bridge = await createBridgeServer({ deps, staticDir, onPush: (channel) => channel === 'main:session.events' && sentAt.push(Date.now()) });
  const profile = mkdtempSync(join(tmpdir(), 'bench-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true, viewport: { width: 1440, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));

  // Long tasks and animation frames, observed from before the app's first script.
  // (Plain script text: tsx would wrap named functions in a `__name` helper the page does not have.)
  await page.addInitScript(`
    window.__bench = { longTasks: [], frames: [], messages: [], loafs: [] };
    // Long animation frames say what a slow frame spent its time on (script, style/layout, or neither).
    try {
      new PerformanceObserver(function (list) {
        for (const e of list.getEntries()) {
          const scripts = (e.scripts || []).reduce(function (a, s) { return a + s.duration; }, 0);
          const layout = e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0;
          window.__bench.loafs.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration, scripts: scripts, layout: layout,
            top: (e.scripts || []).slice().sort(function (a, b) { return b.duration - a.duration; }).slice(0, 2).map(function (s) { return (s.invoker || '?') + ' ' + Math.round(s.duration) + 'ms'; }).join('; ') });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch (err) {}
    // Count the bridge's event batches where the renderer receives them.
    const NativeWebSocket = window.WebSocket;
    const timeHandlers = ${JSON.stringify(Boolean(process.env.BENCH_UI_MESSAGES))};
    window.__bench.handled = [];
    window.WebSocket = class extends NativeWebSocket {
      constructor(url, protocols) {
        super(url, protocols);
        super.addEventListener('message', function (e) {
          if (typeof e.data === 'string' && e.data.startsWith('{"channel":"main:session.events"')) window.__bench.messages.push(performance.now());
        });
      }
      // Diagnostics (BENCH_UI_MESSAGES=1): how long the app's own handler takes per event batch, by its size.
      addEventListener(type, fn, o) {
        if (type !== 'message' || !timeHandlers) return super.addEventListener(type, fn, o);
        return super.addEventListener(type, function (e) {
          const t0 = performance.now();
          try { return fn.call(this, e); } finally {
            if (typeof e.data === 'string' && e.data.startsWith('{"channel":"main:session.events"')) window.__bench.handled.push([t0, e.data.length, performance.now() - t0]);
          }
        }, o);
      }
    };
    new PerformanceObserver(function (list) {
      for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    requestAnimationFrame(function tick(t) { window.__bench.frames.push(t); requestAnimationFrame(tick); });
  `);

  // Every bridge message the page receives, with its arrival time.
  let eventsInBatches = 0;
  let wireEvents = 0;
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => {
      const text = typeof f.payload === 'string' ? f.payload : f.payload.toString();
      if (!text.startsWith('{"channel":"main:session.events"')) return;
      // A token and the raw text it released travel as one `token+raw` (shared/session-batch.ts): two events.
      const objects = (text.match(/"type":"/g) ?? []).length;
      wireEvents += objects;
      eventsInBatches += objects + (text.match(/"type":"token\+raw"/g) ?? []).length;
    });
  });

  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  };

  await page.goto(`${bridge.url}&debug=1`);
  await page.getByText('ready · gateway').waitFor({ timeout: 30_000 });
  const heapStart = await heap();
  const longBefore = await page.evaluate<number>('window.__bench.longTasks.length');

  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Benchmark: stream a very long answer');
  await page.evaluate('window.__renderCounts = {}');
  type ApplyStats = { frames: number; sliced: number; events: number; ms: number; maxMs: number };
  const applyStats = () => page.evaluate<ApplyStats>('window.__debuggerStore.getState().session.applyStats()');
  const apply0 = await applyStats();
  const cpu0 = rendererCpuMs(profile);
  const engineCpu0 = process.cpuUsage();
  const t0 = Date.now();
  await box.press('Enter');
  const samples: Array<{ t: number; tokens: number; heap: number }> = [];
  const tokensNow = async () =>
    await page.evaluate<{ tokens: number; status: string; raw: number; end: { tokenCount: number; rawLength: number } | null }>(`(() => {
      const s = window.__debuggerStore.getState();
      const t = s.session.turns.byId[s.session.turns.order[0] ?? ''];
      return { tokens: t ? t.tokens.at.length : 0, status: t ? t.status : 'none', raw: t ? t.raw.length : 0, end: t && t.end ? { tokenCount: t.end.tokenCount, rawLength: t.end.rawLength } : null };
    })()`);
  let peakHeap = heapStart;
  let tabIndex = 0;
  if (process.env.BENCH_UI_TRACE) {
    // Diagnostics: 5 s of the devtools timeline, time per event name, and the layout sizes.
    await page.waitForTimeout(process.env.BENCH_UI_TRACE === '0' ? 0 : Number(process.env.BENCH_UI_TRACE) > 1 ? Number(process.env.BENCH_UI_TRACE) * 1000 : 4000);
    // Trace events as read here: complete events ('X') with wall and thread duration, and thread names ('M').
    type Ev = { name: string; dur?: number; tdur?: number; ph: string; ts?: number; tid?: number; args?: { name?: string; beginData?: { dirtyObjects?: number; totalObjects?: number }; data?: { functionName?: string; url?: string; lineNumber?: number } } };
    const events: Ev[] = [];
    cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as typeof events)));
    const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    await page.waitForTimeout(5000);
    await cdp.send('Tracing.end');
    await done;
    // The renderer's main thread only (scripts, style, layout, paint: what a long task is made of), in wall time
    // and in the thread's own CPU time (tdur): on a loaded machine a task's wall time includes the time its
    // thread waited for a core; its thread time is what the task itself cost.
    const mainTid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
    const by = new Map<string, { n: number; ms: number; cpu: number }>();
    for (const e of events) {
      if (e.ph !== 'X' || !e.dur || e.tid !== mainTid) continue;
      const v = by.get(e.name) ?? { n: 0, ms: 0, cpu: 0 };
      v.n++;
      v.ms += e.dur / 1000;
      v.cpu += (e.tdur ?? 0) / 1000;
      by.set(e.name, v);
    }
    console.log('  main thread: wall ms (thread ms)  count  event');
    for (const [k, v] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(`  ${v.ms.toFixed(0).padStart(6)} (${v.cpu.toFixed(0).padStart(6)}) ${String(v.n).padStart(6)}×  ${k}`);
    // What the long tasks were made of: the biggest events inside each RunTask over 50 ms.
    const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.tid === mainTid);
    const cpuMs = tasks.map((t) => (t.tdur ?? 0) / 1000).sort((a, b) => b - a);
    console.log(`  tasks by thread time: ${cpuMs.filter((x) => x > 50).length} over 50 ms, ${cpuMs.filter((x) => x > 33).length} over 33 ms, ${cpuMs.filter((x) => x > 16).length} over 16 ms; longest ${cpuMs.slice(0, 8).map((x) => x.toFixed(0)).join(', ')} ms (of ${tasks.length} tasks)`);
    for (const t of tasks.filter((e) => (e.dur ?? 0) > 50_000).slice(0, 12)) {
      const inner = events.filter((e) => e.tid === t.tid && e.ph === 'X' && e !== t && (e.ts ?? 0) >= (t.ts ?? 0) && (e.ts ?? 0) + (e.dur ?? 0) <= (t.ts ?? 0) + (t.dur ?? 0));
      const top = inner.sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 8);
      console.log(`  long task at ${(((t.ts ?? 0) - (events[0]?.ts ?? 0)) / 1e6).toFixed(2)} s ${((t.dur ?? 0) / 1000).toFixed(0)} ms (thread ${((t.tdur ?? 0) / 1000).toFixed(0)} ms): ${top.map((e) => `${e.name}${e.args?.data?.functionName ? `(${e.args.data.functionName}:${e.args.data.lineNumber ?? ''})` : ''} ${((e.dur ?? 0) / 1000).toFixed(0)}/${((e.tdur ?? 0) / 1000).toFixed(0)}`).join(', ')}`);
    }
    const layouts = events.filter((e) => e.name === 'Layout' && e.args?.beginData);
    if (layouts.length) console.log(`  layouts: ${layouts.length}, avg ${(layouts.reduce((a, e) => a + (e.dur ?? 0), 0) / layouts.length / 1000).toFixed(1)} ms; objects: dirty avg ${(layouts.reduce((a, e) => a + (e.args!.beginData!.dirtyObjects ?? 0), 0) / layouts.length).toFixed(0)}, total avg ${(layouts.reduce((a, e) => a + (e.args!.beginData!.totalObjects ?? 0), 0) / layouts.length).toFixed(0)}`);
  }
  if (process.env.BENCH_UI_PROFILE) {
    // Diagnostics: a CPU profile mid-stream (or from the send on: 0), time per function (minification is off for it).
    const at = process.env.BENCH_UI_PROFILE === '0' ? 0 : Number(process.env.BENCH_UI_PROFILE) > 1 ? Number(process.env.BENCH_UI_PROFILE) * 1000 : 4000;
    if (at) await page.waitForTimeout(at);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    await page.waitForTimeout(Number(process.env.BENCH_UI_PROFILE_SECONDS ?? 8) * 1000);
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    if (process.env.BENCH_UI_PROFILE_OUT) writeFileSync(process.env.BENCH_UI_PROFILE_OUT, JSON.stringify(profile));
    const { self, total } = profileTimes(profile);
    console.log('  self time:');
    for (const [k, v] of self.slice(0, 25)) console.log(`  ${v.toFixed(0).padStart(6)} ms  ${k}`);
    console.log('  inclusive time (with what it calls):');
    for (const [k, v] of total.slice(0, 40)) console.log(`  ${v.toFixed(0).padStart(6)} ms  ${k}`);
  }
  // Until the answer ends, or the time cap.
  while (Date.now() - t0 < MAX_SECONDS * 1000) {
    await page.waitForTimeout(5000);
    const { tokens, status } = await tokensNow();
    const used = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    peakHeap = Math.max(peakHeap, used);
    samples.push({ t: (Date.now() - t0) / 1000, tokens, heap: used });
    process.stdout.write(`  t=${((Date.now() - t0) / 1000).toFixed(0)}s tokens=${tokens} heap=${(used / 1e6).toFixed(1)} MB\n`);
    if (status !== 'streaming') break;
    // The next details tab: each one shown for a while, so that a tab following every batch shows up.
    const tabName = TABS[tabIndex++ % TABS.length]!;
    if (process.env.BENCH_UI_CLICK_PROFILE) await clickProfiled(cdp, page, tabName);
    else await page.getByRole('tab', { name: new RegExp(`^${tabName}`) }).click();
  }
  const streamEnd = Date.now();
  const cpu1 = rendererCpuMs(profile);
  const engineCpu = process.cpuUsage(engineCpu0);
  const apply1 = await applyStats();
  const { tokens, status, raw, end } = await tokensNow();
  if (status === 'streaming') {
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Cancel' }).waitFor({ state: 'detached', timeout: 30_000 });
  }
  await page.waitForTimeout(500);
  const heapEnd = await heap();
  const stats = await page.evaluate<PageStats>('window.__bench');
  const renders = await page.evaluate<Record<string, number>>('window.__renderCounts || {}');
  const domRows = await page.locator('.lane .row').count();
  const domNodes = await page.evaluate<number>('document.getElementsByTagName("*").length');

  const seconds = (streamEnd - t0) / 1000;
  const navStart = await page.evaluate<number>('performance.timeOrigin');
  const streaming = stats.messages.map((m) => navStart + m).filter((t) => t >= t0 && t <= streamEnd);
  // The most batches within any sliding one-second window: as sent, and as the renderer received them
  // (reception bunches up behind a busy frame; the sender's spacing is what the batcher guarantees).
  const maxInWindow = (times: number[]) => {
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  };
  const maxPerSecond = maxInWindow(streaming);
  const sentStreaming = sentAt.filter((t) => t >= t0 && t <= streamEnd);
  const maxSentPerSecond = maxInWindow(sentStreaming);
  const longs = stats.longTasks.slice(longBefore).filter((l) => navStart + l.start >= t0 && navStart + l.start <= streamEnd);
  // Frames while streaming only (the page's clock starts at navigation).
  const frames = stats.frames.filter((f) => navStart + f >= t0 && navStart + f <= streamEnd);
  const fps = frames.length > 1 ? ((frames.length - 1) * 1000) / (frames[frames.length - 1]! - frames[0]!) : 0;

  console.log(`\nUI benchmark at ${goal} [${load()}] (simulator speed ${SPEED}, answer repeated ${REPEAT}×, ${seconds.toFixed(1)} s of streaming, turn ${status === 'streaming' ? 'cancelled at the time limit' : status})`);
  console.log(`  tokens rendered           ${tokens.toLocaleString('en-US')} (${(tokens / seconds).toFixed(0)} tokens/s)`);
  console.log(`  bridge messages           ${sentStreaming.length} batches carrying ${eventsInBatches.toLocaleString('en-US')} events (${wireEvents.toLocaleString('en-US')} on the wire): ${(sentStreaming.length / seconds).toFixed(1)} msgs/s avg; most in any 1-s window: ${maxSentPerSecond} sent, ${maxPerSecond} received   (goal ≤ 60)`);
  console.log(`  long tasks (> 50 ms)      ${longs.length} while streaming${longs.length ? `, max ${Math.max(...longs.map((l) => l.duration)).toFixed(0)} ms, total ${longs.reduce((a, l) => a + l.duration, 0).toFixed(0)} ms, at ${longs.map((l) => `${((navStart + l.start - t0) / 1000).toFixed(1)}s`).join(', ')}` : ''}   (goal 0 from token rendering)`);
  const loafs = stats.loafs.filter((l) => navStart + l.start >= t0 && navStart + l.start <= streamEnd && l.blocking > 0);
  if (loafs.length) {
    const sum = (f: (l: (typeof loafs)[number]) => number) => loafs.reduce((a, l) => a + f(l), 0);
    console.log(`  long animation frames     ${loafs.length} with blocking time: ${sum((l) => l.duration).toFixed(0)} ms in all, of it script ${sum((l) => l.scripts).toFixed(0)} ms, style+layout ${sum((l) => l.layout).toFixed(0)} ms; longest ${Math.max(...loafs.map((l) => l.duration)).toFixed(0)} ms (script ${loafs.reduce((m, l) => (l.duration > m.duration ? l : m)).scripts.toFixed(0)} ms: ${loafs.reduce((m, l) => (l.duration > m.duration ? l : m)).top || 'no script'})`);
  }
  // What the long frames were running, by the invoker that took longest in each: a batch arriving
  // (DOMWebSocket.onmessage) is token rendering; a click is the tab cycling above.
  if (loafs.length) {
    const by = new Map<string, { n: number; max: number }>();
    for (const l of loafs.filter((x) => x.duration > 50)) {
      const k = (l.top.split(';')[0] ?? '').replace(/ \d+ms$/, '') || 'no script (style, layout, paint)';
      const v = by.get(k) ?? { n: 0, max: 0 };
      v.n++;
      v.max = Math.max(v.max, l.duration);
      by.set(k, v);
    }
    console.log(`  long frames by invoker    ${[...by.entries()].sort((a, b) => b[1].n - a[1].n).map(([k, v]) => `${k} ×${v.n} (max ${v.max.toFixed(0)} ms)`).join(', ') || 'none over 50 ms'}`);
  }
  const handled = (stats as PageStats & { handled: Array<[number, number, number]> }).handled.filter(([at]) => navStart + at >= t0 && navStart + at <= streamEnd);
  if (handled.length) {
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
    const big = [...handled].sort((a, b) => b[2] - a[2]).slice(0, 5);
    console.log(
      `  batch handling (diag.)    ${handled.length} batches: size p50 ${(q(handled.map((h) => h[1]), 50) / 1e3).toFixed(0)} KB, max ${(Math.max(...handled.map((h) => h[1])) / 1e3).toFixed(0)} KB; handler p50 ${q(handled.map((h) => h[2]), 50).toFixed(2)} ms, p99 ${q(handled.map((h) => h[2]), 99).toFixed(1)} ms; longest ${big.map(([at, n, ms]) => `${ms.toFixed(1)} ms for ${(n / 1e3).toFixed(0)} KB at ${((navStart + at - t0) / 1000).toFixed(1)}s`).join(', ')}`,
    );
  }
  if (sentStreaming.length) console.log(`  engine side               last batch sent ${((sentStreaming[sentStreaming.length - 1]! - t0) / 1000).toFixed(1)} s after the send, rendered ${seconds.toFixed(1)} s after it (the gap is the renderer falling behind)`);
  if (cpu0 !== undefined && cpu1 !== undefined)
    console.log(
      `  CPU time while streaming  renderer process ${((cpu1.all - cpu0.all) / 1000).toFixed(1)} s = ${((cpu1.all - cpu0.all) / Math.max(1, tokens / 1000)).toFixed(1)} ms per 1,000 tokens, of it its main thread ${((cpu1.main - cpu0.main) / Math.max(1, tokens / 1000)).toFixed(1)} ms (${((cpu1.main - cpu0.main) / Math.max(1, renders.lanes ?? 1)).toFixed(1)} ms per lanes render); this process (engine, simulator, bridge, bench) ${((engineCpu.user + engineCpu.system) / 1e6).toFixed(1)} s   (load-independent, unlike the wall-clock figures)`,
    );
  // The store's own account of applying batches (session-slice.ts): what a frame spends before React renders.
  const applied = { frames: apply1.frames - apply0.frames, sliced: apply1.sliced - apply0.sliced, events: apply1.events - apply0.events, ms: apply1.ms - apply0.ms };
  console.log(
    `  batch application         ${applied.frames} frames applied ${applied.events.toLocaleString('en-US')} events in ${applied.ms.toFixed(0)} ms = ${(applied.ms / Math.max(1, tokens / 1000)).toFixed(1)} ms per 1,000 tokens; longest frame ${apply1.maxMs.toFixed(1)} ms (budget ${APPLY_BUDGET_MS} ms); ${applied.sliced} frames left the rest to the next`,
  );
  console.log(`  renderer frames           ${fps.toFixed(1)} fps (requestAnimationFrame, headless)`);
  console.log(`  DOM                       ${domRows} lane rows mounted, ${domNodes} elements in the page (virtualized)`);
  console.log(`  JS heap (after GC)        start ${(heapStart / 1e6).toFixed(1)} MB → end ${(heapEnd / 1e6).toFixed(1)} MB: +${((heapEnd - heapStart) / 1e6).toFixed(1)} MB for ${tokens.toLocaleString('en-US')} tokens = ${(((heapEnd - heapStart) / 1e6) * (100_000 / Math.max(1, tokens))).toFixed(1)} MB per 100k tokens; peak ${(peakHeap / 1e6).toFixed(1)} MB`);
  if (samples.length > 2) {
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    console.log(`  heap slope while streaming ${(((last.heap - first.heap) / 1e6) / Math.max(1, (last.tokens - first.tokens) / 100_000)).toFixed(1)} MB per 100k tokens (before GC)`);
  }
  // Commits per part while streaming (and the tab switches' own): a part outside the lanes that follows the
  // batches has about as many as there were batches.
  const batches = streaming.length;
  const parts = Object.entries(renders).sort((a, b) => b[1] - a[1]);
  // Following the batches = more than one commit per ten batches (tab switches, turn start and end and the
  // timing chart's steps stay far below that).
  const offenders = parts.filter(([id, n]) => !LIVE_PARTS.has(id) && n > Math.max(20, batches / 10));
  console.log(`  re-renders per part       ${batches} batches received; ${parts.map(([id, n]) => `${id} ${n}`).join(', ') || 'none counted (not a profiling build?)'}`);
  if (problems.length) console.log(`  console errors            ${problems.length}: ${problems.slice(0, 3).join(' | ')}`);
  const lost = end ? `${end.tokenCount - tokens} tokens, ${end.rawLength - raw} characters` : 'unknown (the turn did not end)';
  console.log(`${verdict(maxSentPerSecond <= 60)} ${goal}: at most ${maxSentPerSecond} bridge messages in any second (target <= 60)  [${load()}]`);
  console.log(`${verdict(longs.length === 0)} ${goal}: ${longs.length} long tasks > 50 ms while streaming (target 0)`);
  console.log(`${verdict(!!end && end.tokenCount === tokens && end.rawLength === raw)} ${goal}: lost on the way to the renderer: ${lost} (target 0; the turn ${status})`);
  console.log(
    `${verdict(parts.length > 0 && offenders.length === 0)} ${goal}: parts outside the lanes re-rendering with the batches: ${offenders.map(([id, n]) => `${id} (${n} for ${batches} batches)`).join(', ') || (parts.length ? 'none' : 'not measured')} (target none; a part follows them with more than one commit per ten batches)`,
  );

  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await bridge.close();
  await deps.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Diagnostics (BENCH_UI_CLICK_PROFILE=1): a CPU profile of one tab click and the frame after it, printed as
 * the functions with the most time inclusive of what they call (what the click computes in proportion to the turn).
 */
async function clickProfiled(cdp: import('playwright-core').CDPSession, page: import('playwright-core').Page, tabName: string): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.getByRole('tab', { name: new RegExp(`^${tabName}`) }).click();
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  const { self, total } = profileTimes(profile);
  console.log(`  click ${tabName}: inclusive ${total.slice(0, 14).map(([k, v]) => `${v.toFixed(1)} ${k}`).join(' | ')}`);
  console.log(`  click ${tabName}: self ${self.slice(0, 14).map(([k, v]) => `${v.toFixed(1)} ${k}`).join(' | ')}`);
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive time (ms) per function of a CPU profile, largest first, without the idle and root entries. */
function profileTimes(profile: CpuProfile): { self: Array<[string, number]>; total: Array<[string, number]> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map<string, number>();
  const self = new Map<string, number>();
  const key = (id: number) => {
    const n = byId.get(id)!;
    return `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  };
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    self.set(key(id), (self.get(key(id)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = key(at);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  });
  const sorted = (m: Map<string, number>) => [...m.entries()].filter(([k]) => !/^\((root|program|idle)\)/.test(k)).sort((a, b) => b[1] - a[1]);
  return { self: sorted(self), total: sorted(total) };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
