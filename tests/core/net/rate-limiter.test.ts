import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { MANAGEMENT_API_RATE_LIMIT, createRateLimiter } from '../../../electron/core/net/rate-limiter';

// The limiter reads the injected clock; its wake-up timer is a real setTimeout, faked here so that the
// clock and the timers move together and nothing depends on the machine's speed.
let t = 0;
const now = () => t;
async function advance(ms: number): Promise<void> {
  t += ms;
  await vi.advanceTimersByTimeAsync(ms);
}

beforeEach(() => {
  t = 1_000_000;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createRateLimiter', () => {
  it('allows `limit` requests per sliding window and no more', () => {
    const rl = createRateLimiter({ limit: 3, windowMs: 1000, now });
    expect([rl.tryAcquire(), rl.tryAcquire(), rl.tryAcquire(), rl.tryAcquire()]).toEqual([true, true, true, false]);
    t += 999;
    expect(rl.tryAcquire()).toBe(false); // the first one is still inside the window
    t += 1; // exactly windowMs later all three have left
    expect([rl.tryAcquire(), rl.tryAcquire(), rl.tryAcquire(), rl.tryAcquire()]).toEqual([true, true, true, false]);
  });

  it('slides: capacity comes back one request at a time, as each leaves the window', () => {
    const rl = createRateLimiter({ limit: 2, windowMs: 100, now });
    rl.tryAcquire();
    t += 60;
    rl.tryAcquire();
    t += 40; // first left, second still in
    expect(rl.available()).toBe(1);
    expect(rl.tryAcquire()).toBe(true);
    expect(rl.tryAcquire()).toBe(false);
  });

  it('acquire waits until a slot frees, in FIFO order', async () => {
    const rl = createRateLimiter({ limit: 2, windowMs: 1000, now });
    await rl.acquire();
    await advance(300);
    await rl.acquire();
    const order: string[] = [];
    const a = rl.acquire().then(() => order.push('a'));
    const b = rl.acquire().then(() => order.push('b'));
    expect(rl.tryAcquire()).toBe(false); // queued callers come first
    await advance(699);
    expect(order).toEqual([]);
    await advance(1); // t0 + 1000: the first stamp left
    await a;
    expect(order).toEqual(['a']);
    await advance(299);
    expect(order).toEqual(['a']);
    await advance(1);
    await b;
    expect(order).toEqual(['a', 'b']);
  });

  it('acquire is cancellable and a cancelled waiter gives its turn to the next', async () => {
    const rl = createRateLimiter({ limit: 1, windowMs: 1000, now });
    await rl.acquire();
    const ac = new AbortController();
    const cancelled = rl.acquire(ac.signal);
    const next = rl.acquire();
    ac.abort(new Error('user stopped it'));
    await expect(cancelled).rejects.toThrow('user stopped it');
    await advance(1000);
    await expect(next).resolves.toBeUndefined();
    // An already-aborted signal rejects at once and takes nothing.
    await advance(1000);
    await expect(rl.acquire(AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
    expect(rl.tryAcquire()).toBe(true);
  });

  it('the management API limit: 1,000 requests in 5 minutes, the 1,001st waits', async () => {
    const rl = createRateLimiter({ ...MANAGEMENT_API_RATE_LIMIT, now });
    for (let i = 0; i < 1000; i++) {
      await rl.acquire();
      t += 10; // 1,000 requests spread over 10 s
    }
    let done = false;
    const last = rl.acquire().then(() => (done = true));
    await advance(5 * 60 * 1000 - 10_000 - 1);
    expect(done).toBe(false);
    await advance(1);
    await last;
    expect(done).toBe(true);
  });

  it('never lets more than `limit` through in any window (seeded property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 10, max: 200 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 80 }),
        (limit, windowMs, gaps) => {
          let clock = 0;
          const rl = createRateLimiter({ limit, windowMs, now: () => clock });
          const granted: number[] = [];
          for (const g of gaps) {
            clock += g;
            if (rl.tryAcquire()) granted.push(clock);
          }
          return granted.every((at) => granted.filter((x) => x > at - windowMs && x <= at).length <= limit);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('rejects nonsense options clearly', () => {
    expect(() => createRateLimiter({ limit: 0, windowMs: 1000 })).toThrow(/limit must be an integer/);
    expect(() => createRateLimiter({ limit: 1, windowMs: 0 })).toThrow(/windowMs must be > 0/);
  });
});
