import { describe, expect, it } from 'vitest';
import { createReassembler, type RawDelta } from '../../../electron/core/reassembly/reassembler';
import { issueToEvent } from '../../../electron/core/reassembly/issue-event';
import { FrameIssueEvent } from '../../../shared/events';
import { expectConsistent, pieces as piecesOf, run, tok, utf8 } from './helpers';

const texts = (...t: string[]) => t.map((text) => ({ text }));

describe('reassembler: text tokens', () => {
  it('keeps whitespace and markdown byte for byte', () => {
    const pieces = ['Hello', ' world', '\n\n', '  `snake', '_case`', ' and ', '2', '*', '3', ' ~~x~~ ', '**b**', '\t', 'https://a.b/c_d?e=*f*', ' \r\n'];
    const res = run(texts(...pieces));
    expect(res.text).toBe(pieces.join(''));
    expect(res.r.issues()).toEqual([]);
    expectConsistent(res);
    expect(piecesOf(res.deltas).map((f) => f.token)).toEqual(pieces.map((_, i) => i));
  });

  it('joins a high surrogate ending one token with the low surrogate starting the next', () => {
    const res = run(texts('I ', 'like \ud83d', '\ude00 and \ud83c', '\udf55!'));
    expect(res.text).toBe('I like 😀 and 🍕!');
    expect(res.text).not.toContain('\uFFFD');
    expect(res.r.issues()).toEqual([]);
    const frags = piecesOf(res.deltas);
    expect(frags[1]).toMatchObject({ start: 2, end: 7, token: 1 });
    expect(frags[2]).toMatchObject({ start: 7, end: 14, token: 2, joined: 'surrogate', joinedFrom: 1 });
    expect(frags[3]).toMatchObject({ start: 14, end: 17, token: 3, joined: 'surrogate', joinedFrom: 2 });
    expect(res.deltas.map((d) => d.text)).toEqual(['I ', 'like ', '😀 and ', '🍕!']);
    expectConsistent(res);
  });

  it('a token that is only a high surrogate, and empty tokens between the halves', () => {
    const res = run(texts('a', '\ud83d', '', '', '\ude00', 'b'));
    expect(res.text).toBe('a😀b');
    expect(piecesOf(res.deltas)).toMatchObject([
      { start: 0, end: 1, token: 0 },
      { start: 1, end: 3, token: 4, joined: 'surrogate', joinedFrom: 1 },
      { start: 3, end: 4, token: 5 },
    ]);
    expectConsistent(res);
  });

  it('a high surrogate followed by a non-low becomes U+FFFD when the next token arrives, reported', () => {
    const deltas: RawDelta[] = [];
    const r = createReassembler({ onText: (d) => deltas.push(d) });
    r.feed(tok(0, { text: 'x\ud83d' }));
    expect(r.text()).toBe('x');
    expect(r.length()).toBe(1);
    r.feed(tok(1, { text: 'y' }));
    expect(r.text()).toBe('x\uFFFDy');
    expect(r.issues()).toMatchObject([{ kind: 'lone-surrogate', position: 1, token: 0, source: 'reassembler' }]);
    expect(r.issues()[0]!.detail).toContain('U+D83D');
    // The U+FFFD belongs to the token whose half it replaces.
    expect(piecesOf(deltas)).toMatchObject([{ start: 0, end: 2, token: 0 }, { start: 2, end: 3, token: 1 }]);
  });

  it('a trailing high surrogate becomes U+FFFD only at end(), reported with its position', () => {
    const res = run(texts('ok ', '\ud83d'));
    expect(res.text).toBe('ok \uFFFD');
    expect(res.reported).toMatchObject([{ kind: 'lone-surrogate', position: 3, at: 1_000, token: 1 }]);
    expect(res.deltas.at(-1)).toEqual({ start: 3, text: '\uFFFD', token: 1, at: 1_000 });
    expectConsistent(res);
  });

  it('stray lows, high-high, and lone halves inside a token are each replaced and reported', () => {
    const res = run(texts('\ude00a', 'b\ud83d\ud83d', '\ude00c\udc00', 'd\ud800e'));
    expect(res.text).toBe('\uFFFDab\uFFFD😀c\uFFFDd\uFFFDe');
    expect(res.reported.map((i) => i.position)).toEqual([0, 3, 7, 9]);
    for (const i of res.reported) expect(res.text[i.position]).toBe('\uFFFD');
    expectConsistent(res);
  });

  it('an empty turn and a turn of empty tokens produce no text and no fragments', () => {
    const res = run(texts('', ''));
    expect(res.text).toBe('');
    expect(res.deltas).toEqual([]);
  });

  it('feeding after end() is an error naming the token', () => {
    const r = createReassembler();
    r.end(0);
    expect(() => r.feed(tok(3, { text: 'late' }))).toThrow(/token 3 fed after end/);
  });
});

describe('reassembler: binary tokens', () => {
  it('joins bytes before decoding; the completing fragment is marked utf8-split with its byte range', () => {
    const bytes = utf8('a€😀b');
    const res = run([{ bytes: bytes.subarray(0, 2) }, { bytes: bytes.subarray(2, 5) }, { bytes: bytes.subarray(5, 6) }, { bytes: bytes.subarray(6) }]);
    expect(res.text).toBe('a€😀b');
    expect(res.deltas).toEqual([
      { start: 0, text: 'a', token: 0, at: 0, byteStart: 0, byteEnd: 1 },
      { start: 1, text: '€', token: 1, at: 1, byteStart: 1, byteEnd: 4, joined: 'utf8-split', joinedFrom: 0 },
      { start: 2, text: '😀b', token: 3, at: 3, byteStart: 4, byteEnd: 9, joined: 'utf8-split', joinedFrom: 1 },
    ]);
    expect(res.r.issues()).toEqual([]);
    expectConsistent(res);
  });

  for (const ch of ['ß', '€', '한', '😀']) {
    it(`${ch} (${utf8(ch).length} bytes) split at every byte position, one byte per frame, and with neighbours`, () => {
      const b = utf8(`x${ch}y`);
      for (let i = 1; i < b.length; i++) {
        const res = run([{ bytes: b.subarray(0, i) }, { bytes: b.subarray(i) }]);
        expect(res.text).toBe(`x${ch}y`);
        expectConsistent(res);
      }
      const perByte = run([...b].map((x) => ({ bytes: [x] })));
      expect(perByte.text).toBe(`x${ch}y`);
      expect(perByte.r.issues()).toEqual([]);
      expectConsistent(perByte);
    });
  }

  it('reports invalid UTF-8 with its byte offset and text position', () => {
    const res = run([{ bytes: utf8('ab') }, { bytes: [0x63, 0xff, 0x64] }, { bytes: [0xc3, 0x28] }]);
    expect(res.text).toBe('abc\uFFFDd\uFFFD(');
    expect(res.reported).toMatchObject([
      { kind: 'invalid-utf8', position: 3, byteOffset: 3, token: 1 },
      { kind: 'invalid-utf8', position: 5, byteOffset: 5, token: 2 },
    ]);
    expectConsistent(res);
  });

  it('bytes held from an earlier frame that turn out invalid are that frame’s U+FFFD', () => {
    const res = run([{ bytes: [0x41, 0xe2, 0x82] }, { bytes: [0x41] }]);
    expect(res.text).toBe('A\uFFFDA');
    expect(piecesOf(res.deltas)).toMatchObject([
      { start: 0, end: 2, token: 0, byteStart: 0, byteEnd: 3 },
      { start: 2, end: 3, token: 1, byteStart: 3, byteEnd: 4 },
    ]);
    expect(res.reported).toMatchObject([{ kind: 'invalid-utf8', position: 1, byteOffset: 1, token: 0 }]);
  });

  it('a character still incomplete at end() becomes U+FFFD, reported', () => {
    const res = run([{ bytes: [0x68, 0x69, 0xf0, 0x9f] }, { bytes: [0x98] }]);
    expect(res.text).toBe('hi\uFFFD');
    expect(res.reported).toMatchObject([{ kind: 'invalid-utf8', position: 2, byteOffset: 2, token: 0 }]);
    expect(res.reported[0]!.detail).toMatch(/never completed \(the turn ended\)/);
  });

  it('keeps a leading BOM', () => {
    expect(run([{ bytes: [0xef, 0xbb] }, { bytes: [0xbf, 0x41] }]).text).toBe('\uFEFFA');
  });
});

describe('reassembler: mixed text and binary', () => {
  it('a switch flushes held halves of the other kind as invalid', () => {
    const res = run([{ text: 'a\ud83d' }, { bytes: [0x62, 0xe2, 0x82] }, { text: '\ude00c' }, { bytes: utf8('é') }]);
    expect(res.text).toBe('a\uFFFDb\uFFFD\uFFFDcé');
    expect(res.reported.map((i) => [i.kind, i.position])).toEqual([
      ['lone-surrogate', 1],
      ['invalid-utf8', 3],
      ['lone-surrogate', 4],
    ]);
    expectConsistent(res);
  });

  it('valid text and binary pieces interleave exactly', () => {
    const res = run([{ text: 'Prix: ' }, { bytes: utf8('12 €') }, { text: ' / ' }, { bytes: utf8('😀').subarray(0, 3) }, { bytes: utf8('😀').subarray(3) }]);
    expect(res.text).toBe('Prix: 12 € / 😀');
    expect(res.r.issues()).toEqual([]);
    expectConsistent(res);
  });
});

describe('reassembler: malformed tokens', () => {
  it('drops a token whose bytes are not base64, and says why', () => {
    const r = createReassembler();
    const bad = tok(0, { text: 'x' });
    delete bad.text;
    bad.bytes = '@@@@';
    r.feed(bad);
    r.feed(tok(1, { text: 'ok' }));
    r.end(5);
    expect(r.text()).toBe('ok');
    expect(r.issues()).toMatchObject([{ kind: 'malformed-frame', token: 0 }]);
    expect(r.issues()[0]!.detail).toMatch(/not valid base64/);
  });

  it('a token with both text and bytes uses the text and reports it; one with neither counts as empty', () => {
    const r = createReassembler();
    const both = tok(0, { text: 'T' });
    both.bytes = Buffer.from('B').toString('base64');
    r.feed(both);
    const none = tok(1, { text: '' });
    delete none.text;
    r.feed(none);
    r.end(2);
    expect(r.text()).toBe('T');
    expect(r.issues().map((i) => i.detail)).toEqual([
      expect.stringMatching(/both text and bytes/),
      expect.stringMatching(/neither text nor bytes/),
    ]);
  });
});

describe('reassembler: sequence numbers and upstream issues', () => {
  it('drops a token whose seq was already seen for another frame; keeps several tokens of one frame', () => {
    const res = run([
      { text: 'He', seq: 0, frame: 0 },
      { text: 'llo', seq: 0, frame: 0 },
      { text: ' wor', seq: 1, frame: 1 },
      { text: ' wor', seq: 1, frame: 2 },
      { text: 'ld', seq: 2, frame: 3 },
    ]);
    expect(res.text).toBe('Hello world');
    expect(res.reported).toMatchObject([{ kind: 'duplicate-seq', seq: 1, token: 3, position: 9 }]);
  });

  it('markIssue records at the current position; a gap also ends a held character', () => {
    const r = createReassembler();
    r.feed(tok(0, { text: 'abc\ud83d', seq: 0 }));
    const gap: FrameIssueEvent = { type: 'frame.issue', turnId: 'turn-1', at: 4, kind: 'seq-gap', detail: 'expected seq 1, got 3', seq: 3, expectedSeq: 1 };
    r.markIssue(gap);
    r.feed(tok(1, { text: '\ude00def', seq: 3, frame: 1 }));
    r.markIssue({ type: 'frame.issue', turnId: 'turn-1', at: 5, kind: 'malformed-frame', detail: 'not JSON' });
    r.end(6);
    expect(r.text()).toBe('abc\uFFFD\uFFFDdef');
    expect(r.issues()).toMatchObject([
      { kind: 'lone-surrogate', position: 3, source: 'reassembler' },
      { kind: 'seq-gap', position: 4, source: 'upstream', seq: 3, expectedSeq: 1, detail: 'expected seq 1, got 3' },
      { kind: 'lone-surrogate', position: 4, source: 'reassembler' },
      { kind: 'malformed-frame', position: 8, source: 'upstream' },
    ]);
  });

  it('issues convert to frame.issue events that validate against the event model', () => {
    const res = run(texts('x\ud83d'));
    const ev = issueToEvent('turn-1', res.reported[0]!);
    expect(FrameIssueEvent.parse(ev)).toEqual(ev);
    expect(ev).toMatchObject({ type: 'frame.issue', kind: 'lone-surrogate', position: 1 });
  });
});

describe('reassembler: socket-endpoint messages', () => {
  const chunks = [
    { text: 'Contact me at a.', messageId: 'm1' },
    { text: 'b@c.com.', messageId: 'm1' },
    { text: '', messageId: 'm1' },
    { text: 'Anything else?', messageId: 'm2' },
    { text: 'Bye\n' },
    { text: 'See you' },
  ];

  it('joins chunks of one _messageId and separates distinct messages with one "\\n" (marked, never doubled)', () => {
    const res = run(chunks, { messages: 'per-output' });
    expect(res.text).toBe('Contact me at a.b@c.com.\nAnything else?\nBye\nSee you');
    const seps = res.deltas.filter((f) => f.separator);
    expect(seps).toEqual([
      { start: 24, text: '\n', token: 3, at: 3, separator: true },
      { start: 39, text: '\n', token: 4, at: 4, separator: true },
    ]);
    // Without what reassembly inserted, the text is exactly what was sent.
    expect(res.deltas.filter((d) => !d.separator).map((d) => d.text).join('')).toBe(chunks.map((c) => c.text).join(''));
    expectConsistent(res);
  });

  it('a long answer (thousands of chunks, joined in runs as it grows) keeps its text, separators and ranges', () => {
    // Messages end on and off the run boundaries; '\n\n' as separator needs the run before the last part.
    const many = Array.from({ length: 5000 }, (_, i) => ({ text: i % 7 === 0 ? 'x\n' : i % 11 === 0 ? '\n' : `t${i} `, messageId: `m${Math.floor(i / 1023)}` }));
    for (const messageSeparator of ['\n', '\n\n', '']) {
      const res = run(many, { messages: 'per-output', messageSeparator });
      const expected = Array.from({ length: 5 }, (_, m) => many.slice(m * 1023, (m + 1) * 1023).map((c) => c.text).join(''));
      const glued = expected.reduce((acc, m) => (!acc ? m : acc.endsWith(messageSeparator) ? acc + m : acc + messageSeparator + m), '');
      expect(res.text).toBe(glued);
      expectConsistent(res);
    }
  });

  it('separator is configurable ("" glues messages)', () => {
    expect(run(chunks, { messages: 'per-output', messageSeparator: '' }).text).toBe(chunks.map((c) => c.text).join(''));
    expect(run(chunks, { messages: 'per-output', messageSeparator: '\n\n' }).text).toBe(
      'Contact me at a.b@c.com.\n\nAnything else?\n\nBye\n\n\nSee you',
    );
  });

  it('gateway tokens without messageId are one message', () => {
    const res = run(texts('a', 'b'));
    expect(res.text).toBe('ab');
    expect(res.deltas.some((d) => d.separator)).toBe(false);
  });

  it('a surrogate half does not cross a message boundary', () => {
    const res = run([{ text: 'a\ud83d', messageId: 'm1' }, { text: '\ude00b', messageId: 'm2' }], { messages: 'per-output' });
    expect(res.text).toBe('a\uFFFD\n\uFFFDb');
    expect(piecesOf(res.deltas)).toMatchObject([{ start: 0, end: 2, token: 0 }, { start: 2, end: 3, token: 1, separator: true }, { start: 3, end: 5, token: 1 }]);
  });

  it('a message that resumes after another is kept in arrival order and noted', () => {
    const res = run([{ text: 'A1', messageId: 'a' }, { text: 'B', messageId: 'b' }, { text: 'A2', messageId: 'a' }], { messages: 'per-output' });
    expect(res.text).toBe('A1\nB\nA2');
    expect(res.reported).toMatchObject([{ kind: 'notice', position: 4 }]);
    expect(res.deltas.filter((d) => d.separator).map((d) => d.token)).toEqual([1, 2]);
  });
});

describe('reassembler: markIssue position', () => {
  it('a position taken just before a gap moves past the U+FFFD the gap flushes; the issue is returned', () => {
    const r = createReassembler();
    r.feed(tok(0, { text: 'ab\ud83d', seq: 0 }));
    const issue = r.markIssue({ type: 'frame.issue', turnId: 'turn-1', at: 1, kind: 'seq-gap', detail: 'gap', position: r.length() });
    expect(issue).toMatchObject({ kind: 'seq-gap', position: 3, source: 'upstream' });
    expect(r.text()).toBe('ab\uFFFD');
    const explicit = r.markIssue({ type: 'frame.issue', turnId: 'turn-1', at: 2, kind: 'notice', detail: 'x', position: 1 });
    expect(explicit.position).toBe(1);
  });
});
