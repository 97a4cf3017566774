// Preloaded (node --import) into a benchmarked child: at exit, writes the process's own CPU time (user + system,
// ms) to fd 3, so a benchmark can compare programs by the CPU they used, which a shared machine disturbs
// far less than wall-clock time.
import { writeSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  try {
    writeSync(3, `${(u.userCPUTime + u.systemCPUTime) / 1000}\n`);
  } catch {
    // fd 3 not open: not run by the benchmark
  }
});
