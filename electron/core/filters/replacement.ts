// What replaces a detected value in the released text, per action. Never returns the value itself.
import { nodeCrypto } from '../util/node-crypto';
import type { FilterAction } from './types';

/** `partial` keeps this many trailing letters/digits, and only of values at least twice as long. */
const PARTIAL_KEEP = 4;

export function replacement(action: Exclude<FilterAction, 'off' | 'block'>, type: string, value: string, normalized: string, salt: string): string {
  if (action === 'mask') return `[${type}]`;
  if (action === 'hash') {
    const digest = nodeCrypto().createHmac('sha256', salt).update(normalized).digest('hex');
    return `[${type}:${digest.slice(0, 8)}]`;
  }
  return partial(value);
}

/** "4111 1111 1111 1111" → "**** **** **** 1111": letters/digits masked but the last four, layout kept. */
export function partial(value: string): string {
  let alnum = 0;
  for (const ch of value) if (/[\p{L}\p{N}]/u.test(ch)) alnum++;
  const keep = alnum >= PARTIAL_KEEP * 2 ? PARTIAL_KEEP : 0;
  let seen = 0;
  let out = '';
  for (const ch of value) {
    if (/[\p{L}\p{N}]/u.test(ch)) {
      seen++;
      out += seen > alnum - keep ? ch : '*';
    } else out += ch;
  }
  return out;
}
