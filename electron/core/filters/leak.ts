// The leak alarm: at the end of a turn the whole raw text is filtered once more and compared with what
// the stream released. Any difference means the streaming filter broke its guarantee (it must never
// happen; tests prove it would be noticed). The report names a position, never text.
import type { CompiledPolicy } from './compile';
import { filterText } from './stream-filter';
import type { FilterOptions } from './types';

export interface LeakReport {
  /** Offset in the filtered text where the released text first differs from whole-text filtering. */
  position: number;
  detail: string;
}

export function checkLeak(cp: CompiledPolicy, rawText: string, releasedText: string, opts: FilterOptions = {}): LeakReport | undefined {
  const expected = filterText(cp, rawText, opts).output;
  if (expected === releasedText) return undefined;
  const max = Math.min(expected.length, releasedText.length);
  let position = 0;
  while (position < max && expected.charCodeAt(position) === releasedText.charCodeAt(position)) position++;
  const detail =
    position === releasedText.length
      ? `released text stops at ${position} of ${expected.length} filtered characters`
      : position === expected.length
        ? `released text has ${releasedText.length - expected.length} characters more than whole-text filtering (from ${position})`
        : `released text differs from whole-text filtering at filtered offset ${position} (released ${releasedText.length}, expected ${expected.length} characters)`;
  return { position, detail };
}
