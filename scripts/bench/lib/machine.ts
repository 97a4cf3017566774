// What every benchmark prints beside its figures: the machine's load, so a number measured on a shared
// machine can be read for what it is; and a small event-loop lag probe with 1 ms resolution whose samples
// carry their time, so a run can be cut into windows (during the stream, around the end of a turn).
import { cpus, loadavg } from 'node:os';

export const load = (): string => `load ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`;

export interface LagProbe {
  stop(): void;
  /** Lag samples (ms) whose timer was due in [from, to) (performance.now() times). */
  window(from: number, to: number): number[];
}

/** A 1 ms timer chain: each sample is how late its timer fired (what a socket or IPC message would wait). */
export function startLagProbe(): LagProbe {
  const due: number[] = [];
  const lag: number[] = [];
  let stopped = false;
  let expected = performance.now() + 1;
  const tick = () => {
    const now = performance.now();
    due.push(expected);
    lag.push(Math.max(0, now - expected));
    if (stopped) return;
    expected = now + 1;
    setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  return {
    stop: () => void (stopped = true),
    window(from, to) {
      const out: number[] = [];
      for (let i = 0; i < due.length; i++) if (due[i]! >= from && due[i]! < to) out.push(lag[i]!);
      return out;
    },
  };
}

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN);
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s.length ? s[s.length - 1]! : NaN };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** "PASS"/"FAIL" against a target, for the lines a reader scans first. */
export const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
