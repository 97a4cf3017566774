// Deterministic sharding of a cassette list for CI job matrices: `--shard I/N` (1-based I). A cassette's
// shard depends only on its normalized relative path (FNV-1a hash), so it stays on the same shard when
// other cassettes are added or removed, on every machine and OS.
export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) throw new Error(`--shard must look like I/N (e.g. 2/4), got "${spec}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`--shard ${spec}: N must be at least 1`);
  if (index < 1 || index > count) throw new Error(`--shard ${spec}: I must be between 1 and ${count}`);
  return { index, count };
}

/** Forward slashes, no leading "./": the same file gets the same key on Windows and Linux. */
export function shardKey(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** 32-bit FNV-1a over the UTF-8 bytes. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function shardOf(path: string, count: number): number {
  return (fnv1a(shardKey(path)) % count) + 1;
}

/**
 * The sorted, de-duplicated paths that belong to `shard`. `keyOf` gives the stable key of a path (e.g. its
 * path relative to the repository), so the paths shown to the user can stay as they were given.
 */
export function selectShard(paths: readonly string[], shard: Shard | undefined, keyOf: (path: string) => string = (p) => p): string[] {
  const key = (p: string) => shardKey(keyOf(p));
  const sorted = [...new Set(paths)].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (!shard || shard.count === 1) return sorted;
  return sorted.filter((p) => (fnv1a(key(p)) % shard.count) + 1 === shard.index);
}
