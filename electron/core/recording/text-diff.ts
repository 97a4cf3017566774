// Text comparison shared by replay, diff and the app: equality, a similarity ratio, a unified diff for
// terminals and JUnit, and change parts for a side-by-side view. Pure.
import { createTwoFilesPatch, diffChars, diffWordsWithSpace } from 'diff';

export interface TextPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface TextDiff {
  same: boolean;
  a: string;
  b: string;
  /** 1 = equal, 0 = nothing in common (2·common / (|a| + |b|), as difflib's ratio). */
  similarity: number;
  /** Unified diff (`--- a`, `+++ b`, hunks); empty when same. */
  patch: string;
  /** Word-level changes for a side-by-side or inline view; empty when same. */
  parts: TextPart[];
}

/** Character similarity in [0, 1]. Long, very different texts fall back to a cheaper bound. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const total = a.length + b.length;
  if (total === 0) return 1;
  let common = 0;
  // Myers' diff is O((N+M)·D); beyond this size a word diff keeps it bounded for very different texts.
  const changes = total > 20_000 ? diffWordsWithSpace(a, b) : diffChars(a, b);
  for (const c of changes) if (!c.added && !c.removed) common += c.value.length;
  return (2 * common) / total;
}

export function textDiff(a: string, b: string, labels: { a: string; b: string } = { a: 'expected', b: 'got' }): TextDiff {
  if (a === b) return { same: true, a, b, similarity: 1, patch: '', parts: [] };
  const patch = createTwoFilesPatch(labels.a, labels.b, a, b, undefined, undefined, {
    context: 3,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  });
  const parts = diffWordsWithSpace(a, b).map((c) => {
    const p: TextPart = { value: c.value };
    if (c.added) p.added = true;
    if (c.removed) p.removed = true;
    return p;
  });
  return { same: false, a, b, similarity: similarity(a, b), patch, parts };
}
