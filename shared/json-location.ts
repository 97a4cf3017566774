// Where JSON.parse failed, as a line and column a person can go to. Only the position V8 names is used,
// never the snippet of input its message quotes (it could hold a secret or a detected value).
export interface JsonLocation {
  /** 0-based offset in the text. */
  position: number;
  line: number;
  column: number;
}

export function jsonErrorLocation(text: string, err: unknown): JsonLocation | undefined {
  const m = /position (\d+)/.exec((err as Error)?.message ?? '');
  if (!m) return undefined;
  const position = Number(m[1]);
  const before = text.replace(/^\uFEFF/, '').slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return { position, line, column };
}
