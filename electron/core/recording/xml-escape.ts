// XML 1.0 escaping that can take any JavaScript string: markup characters become entities, and code points
// XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) become a
// visible `\uXXXX` so a failure message about a broken token still reads as what it was.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Replaces what XML 1.0 cannot represent (see above); everything else is kept. */
export function xmlSafe(s: string): string {
  return s.replace(INVALID, hex4);
}

/** Text content: `&`, `<`, `>` escaped (`>` too, so `]]>` can never appear); CR as a reference, since parsers turn a literal CR into LF. */
export function xmlText(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute value in double quotes: also quotes, and tab/LF/CR as character references so they survive attribute normalization. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
