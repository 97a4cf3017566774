// Where JSON.parse failed, without the snippet of input V8 quotes in its message: that snippet could hold
// a secret or a detected value, and error messages end up in logs and on screens.
export function jsonErrorPosition(err: unknown): string {
  const m = /position (\d+)/.exec((err as Error)?.message ?? '');
  return m ? ` (at character ${Number(m[1]) + 1})` : '';
}
