import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { readCassette } from '../../../electron/core/recording/cassette-reader';
import { createCassetteWriter } from '../../../electron/core/recording/cassette-writer';
import { createSecretGuard, redactEvent } from '../../../electron/core/recording/redact';
import { summarizeTurns } from '../../../electron/core/recording/turns';
import { HEADER_INPUT, turnEvents } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'redact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CARD = '4111 1111 1111 1111';
const piiTurn = () =>
  turnEvents({
    turnId: 't1',
    input: `charge ${CARD}`,
    tokens: ['Card: ', '4111 1111', ' 1111 1111', '.'],
    filtered: ['Card: ', '', '[CREDIT_CARD]', '.'],
    hits: [{ type: 'CREDIT_CARD', action: 'mask', rawStart: 6, rawEnd: 25, outStart: 6, outEnd: 19 }],
  });

describe('redacted cassettes', () => {
  it('keep only filtered text: no raw tokens, no raw.text, hits by position, sizes and timing kept', () => {
    const path = join(dir, 'r.jsonl');
    const w = createCassetteWriter({ path, header: HEADER_INPUT, redact: true, filterInput: (s) => s.replace(/\d[\d ]{11,}\d/g, '[CREDIT_CARD]') });
    const binary: SessionEvent = { type: 'token', turnId: 't1', at: 200, index: 4, bytes: Buffer.from('é', 'utf8').toString('base64'), origin: { frame: 9, kind: 'binary' } };
    const issue: SessionEvent = { type: 'frame.issue', turnId: 't1', at: 5, kind: 'malformed-frame', detail: 'frame was {"tokens":["4111 1111', seq: 3 };
    for (const e of [...piiTurn().slice(0, -3), binary, issue, ...piiTurn().slice(-3)]) w.append(e);
    w.close();
    const text = readFileSync(path, 'utf8');
    expect(text.replace(/\D/g, '')).not.toContain('41111111');
    expect(text).not.toContain('"raw.text"');
    expect(text).not.toContain('"bytes"');
    const c = readCassette(path);
    expect(c.header.redacted).toBe(true);
    const tokens = c.events.filter((e) => e.type === 'token');
    expect(tokens.map((t) => ('textLength' in t ? t.textLength : undefined))).toEqual([6, 9, 10, 1, undefined]);
    expect(tokens.map((t) => t.at)).toEqual([100, 110, 120, 130, 200]);
    expect(tokens[4]).toMatchObject({ byteLength: 2 });
    expect(tokens.every((t) => t.text === undefined && t.bytes === undefined)).toBe(true);
    const start = c.events.find((e) => e.type === 'turn.start');
    expect(start).toMatchObject({ input: 'charge [CREDIT_CARD]', inputRedacted: true });
    expect(c.events.find((e) => e.type === 'frame.issue')).toMatchObject({ detail: 'malformed-frame, seq 3 (detail redacted)' });
    const [turn] = summarizeTurns(c.events);
    expect(turn?.rawText).toBeNull();
    expect(turn?.filteredText).toBe('Card: [CREDIT_CARD].');
    expect(turn?.hits).toEqual([{ type: 'CREDIT_CARD', action: 'mask', rawStart: 6, rawEnd: 25, outStart: 6, outEnd: 19 }]);
    expect(turn?.tokens.map((t) => t.size)).toEqual([6, 9, 10, 1, 2]);
  });

  it('drops what socket outputs quote: structured JSON and summary, the offending output, closing text', () => {
    const structured: SessionEvent = {
      type: 'output.structured', turnId: 't1', at: 3, frame: 2, kind: 'rich-content', path: 'data._cognigy._default',
      summary: `quick replies: "${CARD}"`, json: JSON.stringify({ q: CARD }), bytes: 30, position: 4, source: 'bot', traceId: 'tr-1',
    };
    const issue: SessionEvent = { type: 'frame.issue', turnId: 't1', at: 4, kind: 'malformed-frame', detail: 'no data', frame: 3, raw: JSON.stringify({ text: CARD }) };
    const end: SessionEvent = { type: 'message.end', turnId: 't1', at: 5, messageId: 'm', finishReason: 'stop', frame: 4, closingText: CARD };
    const out = [structured, issue, end].map((e) => redactEvent(e));
    expect(JSON.stringify(out)).not.toContain('4111');
    expect(out[0]).toMatchObject({ kind: 'rich-content', path: 'data._cognigy._default', bytes: 30, position: 4, source: 'bot', traceId: 'tr-1' });
    expect(out[0]).not.toHaveProperty('json');
    expect(out[1]).toMatchObject({ kind: 'malformed-frame', frame: 3 });
    expect(out[2]).toMatchObject({ messageId: 'm', finishReason: 'stop', frame: 4 });
  });

  it('redactEvent leaves events without raw text untouched', () => {
    const usage = piiTurn().find((e) => e.type === 'usage')!;
    expect(redactEvent(usage)).toBe(usage);
    const leak: SessionEvent = { type: 'filter.leak', turnId: 't', at: 1, detail: 'raw 4111', position: 7 };
    expect(redactEvent(leak)).toMatchObject({ position: 7, detail: expect.not.stringContaining('4111') });
  });

  it('the secret guard finds JSON-escaped secrets too', () => {
    const g = createSecretGuard(['pa"ss\\word!']);
    const line = JSON.stringify({ m: 'x pa"ss\\word! y' });
    const r = g.scrub(line);
    expect(r.removed).toBe(1);
    expect(JSON.parse(r.line)).toEqual({ m: 'x [secret removed] y' });
  });
});
