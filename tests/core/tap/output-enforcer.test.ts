// The --enforce-policy transform: same outputs, same order, filtered text per chunk; what a message's
// chunks carry together equals filtering that message whole, for any chunking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, filterText, parsePolicy } from '../../../electron/core/filters';
import { createOutputEnforcer } from '../../../electron/core/tap/output-enforcer';

const compiled = compilePolicy();
const BLOCKED = 'This answer was withheld.';
const enforcer = () => createOutputEnforcer({ compiled, hashSalt: 'salt', blockedText: BLOCKED });

type Out = { type: 'output'; data: { text: string; data: { _cognigy: { _messageId?: string; _finishReason?: string } }; source: string } };
const chunk = (text: string, messageId?: string, finishReason?: string): Out => ({
  type: 'output',
  data: { text, data: { _cognigy: { ...(messageId ? { _messageId: messageId } : {}), ...(finishReason ? { _finishReason: finishReason } : {}) } }, source: 'bot' },
});

/** Runs outputs through the enforcer as the tap does; returns the emitted envelopes in order. */
function through(e: ReturnType<typeof enforcer>, outs: Out[]): Out[] {
  return outs.flatMap((o) => (e.transform('output', [o]) ?? [[o]]).map((args) => args[0] as Out));
}
const texts = (outs: Out[]) => outs.map((o) => o.data.text);

describe('tap --enforce-policy output transform', () => {
  it('masks a card number split across the chunks of one message, keeping every chunk', () => {
    const outs = [chunk('Your card is 4111 11', 'm1'), chunk('11 1111 1111. Thanks', 'm1'), chunk('!', 'm1'), chunk('', 'm1', 'stop')];
    const got = through(enforcer(), outs);
    expect(got.length).toBe(outs.length);
    expect(texts(got).join('')).toBe('Your card is [CREDIT_CARD]. Thanks!');
    expect(texts(got).join('')).not.toMatch(/4111/);
    expect(got.at(-1)?.data.data._cognigy._finishReason).toBe('stop');
  });

  it('puts text held at the end into an extra chunk before an empty closing chunk (Webchat drops closing text)', () => {
    const got = through(enforcer(), [chunk('Call me at 0', 'm1'), chunk('', 'm1', 'stop')]);
    expect(got.length).toBe(3);
    expect(got[1]!.data.text).not.toBe('');
    expect(got[1]!.data.data._cognigy._finishReason).toBeUndefined();
    expect(got[2]).toEqual(chunk('', 'm1', 'stop'));
    expect(texts(got).join('')).toBe(filterText(compiled, 'Call me at 0', { hashSalt: 'salt' }).output);
  });

  it('keeps the structure when Cognigy put text on the closing chunk itself', () => {
    const got = through(enforcer(), [chunk('Write to jane.', 'm1'), chunk('doe@example.org', 'm1', 'stop')]);
    expect(got.length).toBe(2);
    expect(got[1]!.data.data._cognigy._finishReason).toBe('stop');
    expect(texts(got).join('')).toBe('Write to [EMAIL_ADDRESS]');
  });

  it('filters an unstreamed output (no _messageId) whole', () => {
    const got = through(enforcer(), [chunk('Mail jane@example.org now')]);
    expect(texts(got)).toEqual(['Mail [EMAIL_ADDRESS] now']);
  });

  it('after a block sends the fallback once and the rest of the message empty, still one emit per output', () => {
    const e = createOutputEnforcer({ compiled: compilePolicy(parsePolicy({ version: 1, actions: { EMAIL_ADDRESS: 'block' } })), hashSalt: 's', blockedText: BLOCKED });
    const got = through(e, [chunk('Hi. Mail jane@exa', 'm1'), chunk('mple.org today', 'm1'), chunk(' and more', 'm1'), chunk('', 'm1', 'stop')]);
    expect(got.length).toBe(4);
    const all = texts(got).join('');
    expect(all).not.toContain('jane');
    expect(all.split(BLOCKED).length - 1).toBe(1);
    expect(texts(got).slice(-2)).toEqual(['', '']);
  });

  it('leaves other events, rich content and the upstream\'s own objects untouched', () => {
    const e = enforcer();
    expect(e.transform('typingStatus', [{ status: 'typingOn' }])).toBeUndefined();
    expect(e.transform('output', [{ type: 'output', data: { data: { _cognigy: { _default: { _quickReplies: {} } } } } }])).toBeUndefined();
    const original = chunk('jane@example.org', 'm2', 'stop');
    const copy = structuredClone(original);
    e.transform('output', [original]);
    expect(original).toEqual(copy);
  });

  it('for any chunking, a message\'s chunks together equal the message filtered whole (property)', () => {
    const corpus = ['Card 4111 1111 1111 1111 and mail a.b@c.com.', 'IBAN DE89 3704 0044 0532 0130 00, call +49 30 1234567!', 'snake_case 2*3 https://x.io/a_b ok'];
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (text, cuts, closingCarries) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const parts: string[] = [];
        let prev = 0;
        for (const p of [...points, text.length]) {
          parts.push(text.slice(prev, p));
          prev = p;
        }
        const outs = parts.map((p, i) => chunk(p, 'm', closingCarries && i === parts.length - 1 ? 'stop' : undefined));
        if (!closingCarries) outs.push(chunk('', 'm', 'stop'));
        const got = through(enforcer(), outs);
        expect(texts(got).join('')).toBe(filterText(compiled, text, { hashSalt: 'salt' }).output);
        expect(got.filter((o) => o.data.data._cognigy._finishReason).length).toBe(1);
        expect(got.at(-1)?.data.data._cognigy._finishReason).toBe('stop');
      }),
      { seed: 1701, numRuns: 300 },
    );
  });
});
