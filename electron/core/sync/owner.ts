// Who holds a lock or a job lease, and whether that holder still lives: the same host, the same boot (a
// reboot recycles pids) and a live pid; inside this process, a sync engine that has not been closed.
// It must never declare a live holder dead: a false "dead" means two processes send the same job.
import { hostname, uptime } from 'node:os';
import { z } from 'zod';

export const Owner = z.object({
  pid: z.number().int(),
  host: z.string(),
  /** Approximate boot time of the host, epoch ms. */
  bootAt: z.number(),
  /** Which sync engine inside that process (several may share one outbox in one process, e.g. tests). */
  instance: z.string(),
});
export type Owner = z.infer<typeof Owner>;

/** Boot times computed by two processes differ by clock granularity only; a reboot moves it by far more. */
const BOOT_TOLERANCE_MS = 120_000;

const liveInstances = new Set<string>();

export function currentOwner(instance: string): Owner {
  return { pid: process.pid, host: hostname(), bootAt: Math.round(Date.now() - uptime() * 1000), instance };
}

export function registerInstance(instance: string): void {
  liveInstances.add(instance);
}

export function unregisterInstance(instance: string): void {
  liveInstances.delete(instance);
}

export function isOwnerAlive(owner: Owner): boolean {
  // Another machine (a shared network drive): we cannot look, so we must assume it lives.
  if (owner.host !== hostname()) return true;
  const me = currentOwner('');
  if (Math.abs(owner.bootAt - me.bootAt) > BOOT_TOLERANCE_MS) return false;
  if (owner.pid === process.pid) return liveInstances.has(owner.instance);
  return isPidAlive(owner.pid);
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — alive.
    return (err as { code?: string }).code === 'EPERM';
  }
}
