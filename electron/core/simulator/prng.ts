// Deterministic randomness for the simulator's answers and pacing: the same (input, scenario) must give the
// same tokens, frames and delays on every run. Never use Math.random here (a failure must reproduce).
import { createHash } from 'node:crypto';

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** A 32-bit seed from any strings (SHA-256, first 4 bytes). */
export function seedFrom(...parts: string[]): number {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest().readUInt32LE(0);
}

/** mulberry32: tiny, fast, good enough for picking phrasings and delays. */
export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
  };
}
