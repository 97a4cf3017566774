import { describe, expect, it } from 'vitest';
import { compilePolicy, createFilter, filterText } from '../../../electron/core/filters';
import { SCAN_SLICE } from '../../../electron/core/filters/stream-filter';
import { defaultPolicy, loadCorpus, SALT, splitAt, stream } from './helpers';

const cp = defaultPolicy();

describe('stream filter: hold-back is minimal and bounded', () => {
  it('releases a finished word at once and holds a word that could still grow', () => {
    const f = createFilter(cp);
    expect(f.feed('Hello ')).toMatchObject({ text: 'Hello ', holdback: 0, pending: [] });
    const c = f.feed('wor');
    expect(c).toMatchObject({ text: '', holdback: 3 });
    expect(c.pending).toContain('EMAIL_ADDRESS'); // "wor" could be the local part of "wor@…"
    expect(f.feed('ld. ')).toMatchObject({ text: 'world. ', holdback: 0, pending: [] });
    expect(f.end()).toMatchObject({ text: '', holdback: 0 });
  });

  it('holds a growing number, and only the number', () => {
    const f = createFilter(cp);
    const a = f.feed('Your card 4111 11');
    expect(a.text).toBe('Your card ');
    expect(a.holdback).toBe('4111 11'.length);
    expect(a.pending).toContain('CREDIT_CARD');
    const b = f.feed('11 1111 1111 thanks');
    expect(a.text + b.text).toBe('Your card [CREDIT_CARD] ');
    expect(b.holdback).toBe('thanks'.length);
    expect(f.end().text).toBe('thanks');
  });

  it('holds a phone number while the next word could still say "office"', () => {
    const f = createFilter(cp);
    expect(f.feed('416 60 039 ').pending).toContain('PHONE_NUMBER');
    expect(f.feed('off').text).toBe('');
    const r = f.feed('ice\n');
    expect(r.text).toBe('[PHONE_NUMBER] office\n');
    expect(r.holdback).toBe(0);
  });

  it('waits at Cognigy flush points inside an address or a number', () => {
    const r = stream(cp, ['Mail a.', 'b@c.', 'com! Pi is 3.', '14\n', 'Call +44 20 7946 0958?']);
    expect(r.output).toBe('Mail [EMAIL_ADDRESS]! Pi is 3.14\nCall [PHONE_NUMBER]?');
    expect(r.chunks[0]!.text).toBe('Mail ');
    expect(r.chunks[1]!.text).toBe('');
    expect(r.chunks[2]!.text).toBe('[EMAIL_ADDRESS]! Pi is ');
  });

  it('never holds more than the compiled bound, even on hostile text', () => {
    for (const text of ['1 '.repeat(500), 'a'.repeat(2000), '@'.repeat(300), '4'.repeat(300), ':'.repeat(300), 'a.'.repeat(400), '+1 '.repeat(200)]) {
      const f = createFilter(cp);
      for (const ch of text) expect(f.feed(ch).holdback).toBeLessThanOrEqual(cp.maxHoldback);
      f.end();
    }
  });

  it('work per token is bounded: detectors are asked O(1) times per character, never over released text', () => {
    const counted = compilePolicy();
    let calls = 0;
    for (const d of counted.detectors) {
      const detect = d.detect;
      (d as { detect: typeof detect }).detect = (s, i, atEnd, before) => {
        calls++;
        return detect(s, i, atEnd, before);
      };
    }
    const unit = 'Call me at +1 415 555 2671 or mail jane@example.com; card 4111 1111 1111 1111, v1.2.3 in 2019. ';
    const text = unit.repeat(200);
    const f = createFilter(counted);
    for (const ch of text) f.feed(ch);
    f.end();
    expect(calls / text.length).toBeLessThan(3);
  });

  it('end() flushes everything', () => {
    const f = createFilter(cp);
    f.feed('trailing wor');
    expect(f.end()).toMatchObject({ text: 'wor', holdback: 0, pending: [] });
  });

  it('feed after end is an error', () => {
    const f = createFilter(cp);
    f.end();
    expect(() => f.feed('x')).toThrow(/after end/);
    expect(() => f.end()).toThrow(/twice/);
  });
});

describe('stream filter: left context far back', () => {
  it('reads context words at the edge of the window the same way, one code unit per token or whole', () => {
    for (let gap = 40; gap <= 75; gap++) {
      for (const lead of ['', 'x'.repeat(100), 'word '.repeat(40)]) {
        const text = `${lead}call ${'-'.repeat(gap)} 0494 92 82 32 and a@b.co`;
        const whole = filterText(cp, text, { hashSalt: SALT });
        const r = stream(cp, text.split(''));
        expect(r.output, `gap ${gap} lead ${lead.length}`).toBe(whole.output);
        expect(r.hits).toEqual(whole.hits);
      }
    }
  });
});

describe('stream filter: text survives byte for byte', () => {
  it('keeps whitespace and markdown exactly', () => {
    const text = '  Hello  world\t\n\n- **bold** _it_ ~~x~~ `snake_case` 2*3 https://example.com/a_b?x=1*2\n```\ncode\n```';
    expect(stream(cp, splitAt(text, [1, 7, 8, 20, 33, 50])).output).toBe(text);
    expect(filterText(cp, text).output).toBe(text);
  });

  it('joins a surrogate pair split across chunks and never releases half of one', () => {
    const f = createFilter(cp);
    const a = f.feed('smile \ud83d');
    expect(a.text).toBe('smile ');
    expect(a.holdback).toBe(1);
    const b = f.feed('\ude00 card 4111111111111111 ');
    expect(a.text + b.text).toBe('smile 😀 card [CREDIT_CARD] ');
  });

  it('a lone surrogate at the end is flushed as it is', () => {
    expect(stream(cp, ['broken \ud83d']).output).toBe('broken \ud83d');
    expect(stream(cp, ['\ude00 then \ud83d', 'x']).output).toBe('\ude00 then \ud83dx');
  });
});

describe('stream filter: block', () => {
  const blocking = compilePolicy({ version: 1, actions: { CREDIT_CARD: 'block' } });

  it('stops releasing before the blocked value, and stays stopped', () => {
    const f = createFilter(blocking);
    const a = f.feed('Here: 4111 1111 ');
    const b = f.feed('1111 1111 and more');
    expect(a.text + b.text).toBe('Here: ');
    expect(b.blocked).toEqual({ type: 'CREDIT_CARD' });
    expect(b.hits).toEqual([{ type: 'CREDIT_CARD', action: 'block', start: 6, end: 25, outStart: 6, outEnd: 6 }]);
    expect(f.feed('even more 5500000000000004')).toEqual({ text: '', hits: [], holdback: 0, pending: [], blocked: { type: 'CREDIT_CARD' } });
    expect(f.end().blocked).toEqual({ type: 'CREDIT_CARD' });
  });

  it('the end of the turn can block too', () => {
    const r = stream(blocking, ['ok 4111111111111111']);
    expect(r.output).toBe('ok ');
    expect(r.blocked).toEqual({ type: 'CREDIT_CARD' });
  });
});

describe('stream filter: hand-picked nasty splits of the tricky corpus', () => {
  const corpus = loadCorpus();

  it('every split point, and one chunk per code unit, give the whole-text result', () => {
    for (const line of corpus) {
      const text = line.chunks.join('');
      const whole = filterText(cp, text, { hashSalt: SALT });
      const runs = [line.chunks, [...text].flatMap((ch) => (ch.length === 2 ? [ch[0]!, ch[1]!] : [ch]))];
      for (let k = 0; k <= text.length; k++) runs.push(splitAt(text, [k]));
      for (const parts of runs) {
        const r = stream(cp, parts);
        expect(r.output, `${line.id} split ${JSON.stringify(parts.map((p) => p.length))}`).toBe(whole.output);
        expect(r.hits, line.id).toEqual(whole.hits);
      }
    }
  });

  it('finds exactly what each corpus line expects', () => {
    for (const line of corpus) {
      const text = line.chunks.join('');
      const found = filterText(cp, text).hits.map((h) => ({ type: h.type, value: text.slice(h.start, h.end) }));
      expect(found, line.id).toEqual(line.expect);
    }
  });
});

describe('stream filter: reset', () => {
  const blocking = compilePolicy({ version: 1, actions: { CREDIT_CARD: 'block', EMAIL_ADDRESS: 'hash' } });
  const texts = [
    'Card 4111 1111 1111 1111 then mail jane@example.com, call +1 415 555 2671 and say what the hell.',
    'Mail jane@example.com twice: jane@example.com; host 192.168.10.24, v2.14.3 on 2024-01-15.',
    'After "call me at" comes 0490 75 40 81 — and a lone \ud83d',
  ];

  it('a filter reset mid-text (with text appended and not scanned yet), after end() or after a block answers the next text exactly as a new one', () => {
    for (const policy of [cp, blocking]) {
      const reused = createFilter(policy, { hashSalt: SALT });
      for (const [k, text] of texts.entries()) {
        for (const cuts of [[], [3, 9, 10, 40], Array.from({ length: text.length }, (_, i) => i)]) {
          reused.feed(texts[(k + 1) % texts.length]!.slice(0, 30)); // an unfinished text, then forgotten
          reused.append(texts[(k + 2) % texts.length]!.slice(0, 20)); // and text appended, never scanned
          reused.reset();
          const chunks = splitAt(text, cuts).map((c) => reused.feed(c));
          chunks.push(reused.end());
          const fresh = stream(policy, splitAt(text, cuts));
          expect(chunks).toEqual(fresh.chunks);
          reused.reset();
        }
      }
    }
  });
});

describe('stream filter: a long text is scanned in slices (SCAN_SLICE) with the same result', () => {
  // Each value is put so that it starts before, at and after a slice boundary of the whole text; the words
  // that decide some of them ("phone", "order") sit in the slice before. The whole text is one window,
  // scanned slice by slice; fed seven units at a time, no window is ever that long.
  const values: Array<[string, string]> = [
    ['4111 1111 1111 1111', 'CREDIT_CARD'],
    ['jane.doe@example.com', 'EMAIL_ADDRESS'],
    ['phone: 0490 75 40 81', 'PHONE_NUMBER'],
    ['192.168.10.24', 'IP_ADDRESS'],
    ['DE89 3704 0044 0532 0130 00', 'IBAN_CODE'],
    ['fuck', 'PROFANITY'],
  ];
  const filler = (n: number) => 'word and more text, '.repeat(Math.ceil(n / 20)).slice(0, n);

  it('finds every value across every boundary, as a stream of short pieces does', () => {
    for (const boundary of [SCAN_SLICE, 2 * SCAN_SLICE, 3 * SCAN_SLICE]) {
      for (const [value, type] of values) {
        for (let shift = -value.length; shift <= 2; shift++) {
          const start = boundary + shift;
          // A separator before the value, and a long tail after it: the text is several slices long.
          const text = `${filler(start - 1)} ${value} ${filler(2 * SCAN_SLICE)} order 1234567890123 end`;
          const whole = filterText(cp, text, { hashSalt: SALT });
          expect(whole.hits.map((h) => h.type)).toContain(type);
          expect(whole.output).not.toContain(value.replace('phone: ', ''));
          const pieces = stream(cp, text.match(/[^]{1,7}/g)!);
          expect(pieces.output).toBe(whole.output);
          expect(pieces.hits).toEqual(whole.hits);
        }
      }
    }
  });
});
