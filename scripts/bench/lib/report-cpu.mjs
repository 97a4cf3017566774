// Preloaded (node --import) into a benchmarked child: at exit, writes the process's own CPU time (user + system,
// ms) and, where Linux tells it (/proc/thread-self/schedstat), the CPU time of its main thread alone, to fd 3
// as JSON, so a benchmark can compare programs by the CPU they used, which a shared machine disturbs far less
// than wall-clock time. The process figure includes the JIT's and GC's helper threads; the main thread's is
// what a quiet machine's wall clock shows (those helpers run on another core there).
import { readFileSync, writeSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  let main = null;
  try {
    main = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    // not Linux: the process figure only
  }
  try {
    writeSync(3, `${JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, mainMs: main })}\n`);
  } catch {
    // fd 3 not open: not run by the benchmark
  }
});
