// Turns a user's regular expression into a "could this text still become a match?" test, so a custom
// detector holds back only text that might grow into a match instead of always its whole maximum length.
//
// For a pattern P it builds a regex source that matches every prefix of every string P can *read* (a
// superset is fine: it only means holding back a little more, never leaking). Assertions become empty,
// lookaheads count as reading what they look at, back-references read anything. Built once per policy.
// Must never be used to decide a match: only to decide whether to wait.

type Node =
  | { k: 'atom'; src: string } // a character, class, escape or '.'
  | { k: 'empty' } // an assertion: reads nothing
  | { k: 'any' } // a back-reference: may read anything
  | { k: 'look'; body: Node } // lookahead: reads its body without consuming
  | { k: 'behind'; body: Node } // lookbehind: reads text before the candidate, nothing to wait for
  | { k: 'group'; body: Node }
  | { k: 'alt'; options: Node[] }
  | { k: 'seq'; items: Node[] }
  | { k: 'rep'; body: Node; min: number; max: number };

export class RegexSyntaxError extends Error {}

export function prefixSource(pattern: string, unicode: boolean): string {
  const ast = new Parser(pattern, unicode).parse();
  return prefix(ast);
}

/**
 * The first construct of `pattern` a linear-time engine cannot run (lookahead, back-reference), or null.
 * Found on the parsed pattern, so an escaped "\\1" or a "(?=" inside a class is no false alarm.
 */
export function nonLinearFeature(pattern: string, unicode: boolean): 'lookahead' | 'back-reference' | null {
  const walk = (n: Node): 'lookahead' | 'back-reference' | null => {
    switch (n.k) {
      case 'atom':
      case 'empty':
        return null;
      case 'any':
        return 'back-reference';
      case 'look':
        return 'lookahead';
      case 'group':
      case 'rep':
      case 'behind':
        return walk(n.body);
      case 'alt':
        return n.options.map(walk).find((f) => f !== null) ?? null;
      case 'seq':
        return n.items.map(walk).find((f) => f !== null) ?? null;
    }
  };
  return walk(new Parser(pattern, unicode).parse());
}

function full(n: Node): string {
  switch (n.k) {
    case 'atom':
      return n.src;
    case 'empty':
    case 'look':
    case 'behind':
      return '';
    case 'any':
      return '[\\s\\S]*';
    case 'group':
      return `(?:${full(n.body)})`;
    case 'alt':
      return `(?:${n.options.map(full).join('|')})`;
    case 'seq':
      return n.items.map(full).join('');
    case 'rep':
      return `(?:${full(n.body)}){${n.min},${n.max === Infinity ? '' : n.max}}`;
  }
}

function prefix(n: Node): string {
  switch (n.k) {
    case 'atom':
      return `(?:${n.src})?`;
    case 'empty':
    case 'behind':
      return '';
    case 'any':
      return '[\\s\\S]*';
    case 'look':
      return prefix(n.body);
    case 'group':
      return `(?:${prefix(n.body)})`;
    case 'alt':
      return `(?:${n.options.map(prefix).join('|')})`;
    case 'seq': {
      // prefix(a b c) = prefix(a) | a (prefix(b) | b prefix(c)), built from the right: linear size.
      let out = '';
      for (let k = n.items.length - 1; k >= 0; k--) {
        const item = n.items[k]!;
        out = out ? `(?:${prefix(item)}|${full(item)}${out})` : prefix(item);
      }
      return out;
    }
    case 'rep': {
      if (n.max === 0) return '';
      const times = n.max === Infinity ? '*' : `{0,${n.max - 1}}`;
      return `(?:${full(n.body)})${times}(?:${prefix(n.body)})`;
    }
  }
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly unicode: boolean,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new RegexSyntaxError(`unexpected "${this.src[this.i]}" at ${this.i}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { k: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { k: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const s = this.src;
    const c = s[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return atom; // a literal '{' (outside unicode mode)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy: irrelevant for what can be read
    return this.quantified({ k: 'rep', body: atom, min, max });
  }

  private atom(): Node {
    const s = this.src;
    const c = s[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '^' || c === '$') {
      this.i++;
      return { k: 'empty' };
    }
    if (c === '\\') return this.escape();
    const code = s.charCodeAt(this.i);
    // A surrogate pair is one character in unicode mode.
    if (this.unicode && code >= 0xd800 && code <= 0xdbff && this.i + 1 < s.length) {
      this.i += 2;
      return { k: 'atom', src: s.slice(this.i - 2, this.i) };
    }
    this.i++;
    return { k: 'atom', src: c === '.' ? '.' : escapeLiteral(c) };
  }

  private group(): Node {
    const s = this.src;
    this.i++; // (
    let kind: 'group' | 'look' | 'behind' = 'group';
    if (s.startsWith('?:', this.i)) this.i += 2;
    else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) {
      kind = 'look';
      this.i += 2;
    } else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) {
      kind = 'behind';
      this.i += 3;
    } else if (s.startsWith('?<', this.i)) {
      const close = s.indexOf('>', this.i);
      if (close === -1) throw new RegexSyntaxError('unterminated group name');
      this.i = close + 1;
    } else if (s[this.i] === '?') {
      throw new RegexSyntaxError(`unsupported group "(${s.slice(this.i, this.i + 3)}"`);
    }
    const body = this.alternation();
    if (s[this.i] !== ')') throw new RegexSyntaxError('unterminated group');
    this.i++;
    if (kind === 'behind') return { k: 'behind', body };
    if (kind === 'look') return { k: 'look', body };
    return { k: 'group', body };
  }

  private charClass(): Node {
    const s = this.src;
    const start = this.i;
    this.i++;
    if (s[this.i] === '^') this.i++;
    if (s[this.i] === ']' && !this.unicode) this.i++; // "[]]" outside unicode mode is not legal either; be lenient
    while (this.i < s.length && s[this.i] !== ']') {
      if (s[this.i] === '\\') this.i++;
      this.i++;
    }
    if (s[this.i] !== ']') throw new RegexSyntaxError('unterminated character class');
    this.i++;
    return { k: 'atom', src: s.slice(start, this.i) };
  }

  private escape(): Node {
    const s = this.src;
    const start = this.i;
    this.i++; // backslash
    const c = s[this.i];
    if (c === undefined) throw new RegexSyntaxError('trailing backslash');
    this.i++;
    if (c === 'b' || c === 'B') return { k: 'empty' };
    if (c === 'k' && s[this.i] === '<') {
      const close = s.indexOf('>', this.i);
      if (close === -1) throw new RegexSyntaxError('unterminated group name');
      this.i = close + 1;
      return { k: 'any' };
    }
    if (c >= '1' && c <= '9') {
      while (this.i < s.length && /\d/.test(s[this.i]!)) this.i++;
      return { k: 'any' };
    }
    if (c === 'u' && s[this.i] === '{' && this.unicode) {
      const close = s.indexOf('}', this.i);
      if (close === -1) throw new RegexSyntaxError('unterminated \\u{…}');
      this.i = close + 1;
    } else if (c === 'u' && /^[0-9a-fA-F]{4}/.test(s.slice(this.i))) this.i += 4;
    else if (c === 'x' && /^[0-9a-fA-F]{2}/.test(s.slice(this.i))) this.i += 2;
    else if (c === 'c' && /^[A-Za-z]/.test(s.slice(this.i))) this.i += 1;
    else if ((c === 'p' || c === 'P') && s[this.i] === '{') {
      const close = s.indexOf('}', this.i);
      if (close === -1) throw new RegexSyntaxError('unterminated \\p{…}');
      this.i = close + 1;
    }
    return { k: 'atom', src: s.slice(start, this.i) };
  }
}

function escapeLiteral(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
