import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Environment } from '../../../shared/environment';
import { cassetteEnvironment, stripUrlToken } from '../../../electron/core/recording/cassette-environment';
import { CassetteError, parseCassette, readCassette } from '../../../electron/core/recording/cassette-reader';
import { CASSETTE_FORMAT } from '../../../electron/core/recording/cassette-schema';
import { createCassetteWriter } from '../../../electron/core/recording/cassette-writer';
import { APP_VERSION } from '../../../electron/core/version';
import { HEADER_INPUT, turnEvents } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'cassette-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `c${n++}.jsonl`);

function writeDialog(path: string, opts: Partial<Parameters<typeof createCassetteWriter>[0]> = {}) {
  const w = createCassetteWriter({ path, header: HEADER_INPUT, ...opts });
  for (const e of turnEvents({ turnId: 't1', input: 'hello', tokens: ['Hel', 'lo', ' world\n'] })) w.append(e);
  for (const e of turnEvents({ turnId: 't2', input: 'again', tokens: ['A', 'gain'], scenario: 'pii' })) w.append(e);
  w.close();
  return w;
}

describe('cassette writer and reader', () => {
  it('writes a header line and one complete line per event, and reads them back', () => {
    const path = file();
    const w = writeDialog(path);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 1).toBe(w.linesWritten);
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ format: CASSETTE_FORMAT, version: 1, toolVersion: APP_VERSION, upstream: 'gateway', redacted: false, scenario: 'happy' });
    expect(Date.parse(header.createdAt)).not.toBeNaN();
    const c = readCassette(path);
    expect(c.truncated).toBe(false);
    expect(c.warnings).toEqual([]);
    expect(c.events.filter((e) => e.type === 'turn.start').map((e) => e.turnId)).toEqual(['t1', 't2']);
    expect(c.events.length).toBe(w.linesWritten - 1);
    expect(w.turnsEnded).toBe(2);
    // Private by default: a recording may hold PII.
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite an existing file unless asked', () => {
    const path = file();
    writeDialog(path);
    expect(() => writeDialog(path)).toThrow(/already exists/);
    expect(() => writeDialog(path, { overwrite: true })).not.toThrow();
    expect(readCassette(path).events.filter((e) => e.type === 'turn.start')).toHaveLength(2);
  });

  it('a file cut mid-line is read up to the last complete line, with a warning naming the line', () => {
    const path = file();
    const w = createCassetteWriter({ path, header: HEADER_INPUT });
    for (const e of turnEvents({ turnId: 't1', input: 'long', tokens: Array.from({ length: 30 }, (_, i) => `tok${i} `) })) w.append(e);
    w.close();
    const full = readFileSync(path, 'utf8');
    const lines = full.split('\n').slice(0, -1);
    const cut = `${lines.slice(0, 41).join('\n')}\n${lines[41]!.slice(0, 17)}`;
    writeFileSync(path, cut);
    const c = readCassette(path);
    expect(c.truncated).toBe(true);
    expect(c.lines).toBe(41);
    expect(c.events).toHaveLength(40);
    expect(c.warnings[0]).toBe(`${path}: line 42: truncated JSON (file ends mid-line) — the cassette was probably cut off while recording; 41 complete lines read`);
  });

  it('a turn without turn.end is reported', () => {
    const path = file();
    writeDialog(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    const endIdx = lines.findIndex((l) => l.includes('"turn.end"') && l.includes('"t2"'));
    writeFileSync(path, `${lines.slice(0, endIdx).join('\n')}\n`);
    const c = readCassette(path);
    expect(c.truncated).toBe(false);
    expect(c.warnings.join()).toMatch(/turn t2 has no turn.end/);
  });

  it('a corrupt line in the middle is an error naming the line and the zod path', () => {
    const path = file();
    writeDialog(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"type":"token"'));
    const ev = JSON.parse(lines[i]!);
    ev.origin.frame = 'zero';
    lines[i] = JSON.stringify(ev);
    writeFileSync(path, lines.join('\n'));
    expect(() => readCassette(path)).toThrow(CassetteError);
    try {
      readCassette(path);
    } catch (err) {
      expect((err as CassetteError).line).toBe(i + 1);
      expect((err as Error).message).toMatch(new RegExp(`line ${i + 1}: invalid "token" event: origin\\.frame: `));
    }
  });

  it('asParsed (replay) reads the same events as zod would, uncopied, and the same errors', () => {
    const path = file();
    writeDialog(path);
    const text = readFileSync(path, 'utf8');
    // A key zod strips sends that line through zod (its copy, without the key), as in the default mode.
    const lines = text.split('\n');
    const t = lines.findIndex((l) => l.includes('"type":"turn.end"'));
    lines[t] = JSON.stringify({ ...JSON.parse(lines[t]!), unknownExtra: 1 });
    const withExtra = lines.join('\n');
    for (const input of [text, withExtra]) {
      const copied = parseCassette(input, 'x');
      const asParsed = parseCassette(input, 'x', { asParsed: true });
      expect(asParsed).toEqual(copied);
      expect(asParsed.events.some((e) => 'unknownExtra' in e)).toBe(false);
    }
    lines[t - 1] = JSON.stringify({ ...JSON.parse(lines[t - 1]!), at: 'late' });
    const bad = lines.join('\n');
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    };
    expect(message(() => parseCassette(bad, 'x', { asParsed: true }))).toBe(message(() => parseCassette(bad, 'x')));
    expect(message(() => parseCassette(bad, 'x'))).toMatch(new RegExp(`line ${t}: invalid "\\S+" event: at: `));
  });

  it('invalid JSON in the middle (not at the end) is an error, not a truncation', () => {
    const text = `${JSON.stringify({ ...header(), redacted: false })}\n{"type":"turn.start",\n{}\n`;
    expect(() => parseCassette(text, 'x.jsonl')).toThrow(/^x\.jsonl: line 2: invalid JSON( \(at character \d+\))?$/);
  });

  it('names what is wrong with a header', () => {
    expect(() => parseCassette('')).toThrow(/empty file: expected a cassette header on line 1/);
    expect(() => parseCassette('{"hello":1}\n')).toThrow(/line 1: not a cassette header \(no "format" field; expected "cognigy-stream-debugger\.cassette"\)/);
    expect(() => parseCassette(`${JSON.stringify({ ...header(), version: 2 })}\n`)).toThrow(/cassette version 2 is newer than this tool reads \(1\)/);
    expect(() => parseCassette(`${JSON.stringify({ ...header(), upstream: 'smtp' })}\n`)).toThrow(/line 1: invalid cassette header: upstream: /);
    expect(() => parseCassette(`{"format":"cognigy-str`)).toThrow(/line 1: truncated header/);
  });

  it('tolerates CRLF line ends, a BOM and blank lines', () => {
    const path = file();
    writeDialog(path);
    const text = `\uFEFF${readFileSync(path, 'utf8').split('\n').join('\r\n')}\r\n`;
    const c = parseCassette(text);
    expect(c.events.filter((e) => e.type === 'turn.end')).toHaveLength(2);
  });

  it('an event that does not validate is left out with a warning instead of making the file unreadable', () => {
    const path = file();
    const warnings: string[] = [];
    const w = createCassetteWriter({ path, header: HEADER_INPUT, onWarning: (m) => warnings.push(m) });
    w.append({ type: 'token', turnId: 't', at: -5, index: 0, text: 'x', origin: { frame: 0, kind: 'text' } });
    w.close();
    expect(warnings[0]).toMatch(/event "token" left out of the cassette: at: /);
    expect(readCassette(path).events).toEqual([]);
  });

  it('known secrets are scrubbed from any line, with a warning', () => {
    const path = file();
    const warnings: string[] = [];
    const secret = 'sk-very-secret-value-123';
    const w = createCassetteWriter({ path, header: HEADER_INPUT, secrets: [secret, undefined, 'at'], onWarning: (m) => warnings.push(m) });
    for (const e of turnEvents({ turnId: 't1', input: `my key is ${secret}`, tokens: ['ok'] })) w.append(e);
    w.close();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).toContain('[secret removed]');
    expect(warnings.join()).toMatch(/removed 1 occurrence/);
    // "at" is too short to be a secret: ordinary text stays intact.
    expect(text).toContain('"at":');
  });

  it('the header keeps the environment without secrets or the URL token', () => {
    const env = Environment.parse({
      name: 'prod',
      kind: 'socket-endpoint',
      socketEndpoint: { endpointUrl: 'https://endpoint-trial.cognigy.ai/abc123token', urlToken: 'abc123token', apiUrl: 'https://api-trial.cognigy.ai', userId: 'u1' },
    });
    const ce = cassetteEnvironment(env);
    expect(JSON.stringify(ce)).not.toContain('abc123token');
    expect(ce.socketEndpoint?.endpointUrl).toBe('https://endpoint-trial.cognigy.ai');
    expect(stripUrlToken('http://127.0.0.1:9/base/tok?x=tok', 'tok')).toBe('http://127.0.0.1:9/base');
    const gw = cassetteEnvironment(Environment.parse({ name: 'gw', kind: 'gateway', gateway: { host: 'acme.cognigy.ai', clientId: 'cid' } }));
    expect(gw).toEqual({ name: 'gw', kind: 'gateway', gateway: { host: 'acme.cognigy.ai', clientId: 'cid', dialogId: 'default-dialog', scopes: ['llm:stream', 'bot:dialog:write', 'api:access'] } });
  });

  it('appending after a crash-like cut: the reader still reads what is complete', () => {
    const path = file();
    writeDialog(path);
    appendFileSync(path, '{"type":"token","turnId":"t3"');
    const c = readCassette(path);
    expect(c.truncated).toBe(true);
    expect(c.events.filter((e) => e.type === 'turn.end')).toHaveLength(2);
  });
});

function header() {
  return { format: CASSETTE_FORMAT, version: 1, createdAt: '2025-01-01T00:00:00Z', toolVersion: '0.1.0', redacted: false, ...HEADER_INPUT };
}
