import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';

describe('createMemoryStore', () => {
  it('starts from the initial secrets and supports set/get/delete/status', async () => {
    const store = createMemoryStore({ demo: { 'client-secret': 'cs' } });
    expect(store.kind).toBe('memory');
    expect(await store.get('demo', 'client-secret')).toBe('cs');
    expect(await store.status('demo')).toEqual({ 'client-secret': 'set', 'api-key': 'not set' });
    await store.set('demo', 'api-key', 'ak');
    expect(await store.get('demo', 'api-key')).toBe('ak');
    expect(await store.delete('demo', 'api-key')).toBe(true);
    expect(await store.delete('demo', 'api-key')).toBe(false);
    expect(await store.get('other', 'client-secret')).toBeUndefined();
    await expect(store.set('demo', 'api-key', '')).rejects.toThrow(/empty/);
  });

  it('two stores share nothing', async () => {
    const a = createMemoryStore();
    const b = createMemoryStore();
    await a.set('x', 'api-key', 'k');
    expect(await b.get('x', 'api-key')).toBeUndefined();
  });
});
