// node:crypto, loaded on first use: loading it costs the `filter` CLI's start-up milliseconds it cannot
// spare (issue 13), and the filter needs it only for "hash" pseudonyms (their HMAC and a random key).
import { createRequire } from 'node:module';

let loaded: typeof import('node:crypto') | undefined;

export function nodeCrypto(): typeof import('node:crypto') {
  loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return loaded;
}
