import { describe, expect, it } from 'vitest';
import { createSerial } from '../../../electron/core/util/serial';

describe('createSerial', () => {
  it('starts each function after the previous one settled, in call order, and a failure stays its caller’s', async () => {
    const serial = createSerial();
    const log: string[] = [];
    let releaseFirst!: () => void;
    const first = serial(async () => {
      log.push('first start');
      await new Promise<void>((r) => (releaseFirst = r));
      log.push('first end');
      throw new Error('first failed');
    });
    const second = serial(async () => {
      log.push('second');
      return 2;
    });
    // The second has not started while the first is still running.
    await Promise.resolve();
    expect(log).toEqual(['first start']);
    releaseFirst();
    await expect(first).rejects.toThrow('first failed');
    expect(await second).toBe(2);
    expect(log).toEqual(['first start', 'first end', 'second']);
  });
});
