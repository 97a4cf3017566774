// What a turn's dialog holds beside its answer text, each at its place in the raw text: structured outputs
// (rich content, Webchat events, control commands, plugin payloads, output data), the connection breaking
// and coming back, the bot's and the user's typing state, and a change of who speaks (a live agent after a
// handover, an engagement message). Built from the events alone; the lanes draw them as rows and inline
// markers, the timeline lists them by time. Pure: no React.
import type { ConnectionEvent, ConnectionState, StructuredOutputEvent, StructuredOutputKind, TypingEvent } from '../../../shared/events';

export type LaneMark =
  | { kind: 'structured'; at: number; position: number; event: StructuredOutputEvent }
  | { kind: 'connection'; at: number; position: number; event: ConnectionEvent; /** Drawn as a row in the lanes (not only on the timeline). */ row: boolean }
  | { kind: 'typing'; at: number; position: number; event: TypingEvent }
  | { kind: 'source'; at: number; position: number; source: string; frame: number };

export const STRUCTURED_KIND_LABELS: Record<StructuredOutputKind, string> = {
  'rich-content': 'rich content',
  'webchat-event': 'Webchat event',
  'control-command': 'control command',
  plugin: 'plugin',
  data: 'output data',
};

/**
 * Connection states that are drawn as rows in the lanes. The connect and ready of a turn's first connection
 * are routine (timeline only); from a break on, everything is shown, so the lanes say where the answer
 * broke, how it came back, and that what follows arrived after it.
 */
const ALWAYS_A_ROW: Record<ConnectionState, boolean> = {
  connected: false,
  ready: false,
  'ready-timeout': true,
  disconnected: true,
  reconnecting: true,
  'gave-up': true,
  'input-buffered': false,
  'input-sent': false,
};

/** Whether a connection event is a row, given whether the turn's connection broke before it. */
export function connectionIsRow(e: ConnectionEvent, brokeBefore: boolean): boolean {
  return ALWAYS_A_ROW[e.state] || (brokeBefore && (e.state === 'connected' || e.state === 'ready'));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line about a connection event, for the lanes and the timeline. */
export function describeConnection(e: ConnectionEvent): string {
  switch (e.state) {
    case 'connected':
      return `connected${e.transport ? ` (${e.transport})` : ''}`;
    case 'ready':
      return `endpoint ready${e.readyMs !== undefined ? ` ${Math.round(e.readyMs)} ms after connecting` : ''}`;
    case 'ready-timeout':
      return 'no endpoint-ready within the bounded wait (a server before Cognigy 4.79?): went on without it';
    case 'disconnected': {
      const open = e.openMessages?.length ? ` while ${plural(e.openMessages.length, 'message')} streamed` : '';
      return `connection lost${e.reason ? ` (${e.reason})` : ''}${open}: outputs the endpoint sends until it is back are lost`;
    }
    case 'reconnecting':
      return `reconnecting: attempt ${e.attempt ?? '?'}${e.limit ? ` of ${e.limit}` : ' (no limit)'}`;
    case 'gave-up':
      return `gave up reconnecting${e.attempt !== undefined ? ` after ${plural(e.attempt, 'attempt')}` : ''}${e.limit ? ` (limit ${e.limit})` : ''}`;
    case 'input-buffered':
      return 'input buffered until the endpoint is connected and ready';
    case 'input-sent':
      return `input sent${e.buffered ? ` (${plural(e.buffered, 'buffered input')} in order)` : ''}${e.waitedMs ? ` after waiting ${Math.round(e.waitedMs)} ms` : ''}`;
  }
}

export function describeTyping(e: TypingEvent): string {
  const who = e.from === 'server' ? 'bot' : 'you (sent)';
  return `${who}: ${e.status === 'typingOn' ? 'typing on' : 'typing off'}${e.afterEnd ? ' (after the answer ended)' : ''}`;
}

export function describeSource(source: string): string {
  switch (source) {
    case 'agent':
      return 'live agent from here (output source "agent")';
    case 'engagement':
      return 'engagement message from here (output source "engagement")';
    case 'bot':
      return 'the bot again from here (output source "bot")';
    default:
      return `output source "${source}" from here`;
  }
}

/** One line for any mark (the timeline's words). */
export function describeMark(m: LaneMark): string {
  switch (m.kind) {
    case 'structured':
      return `${STRUCTURED_KIND_LABELS[m.event.kind]}: ${m.event.summary}`;
    case 'connection':
      return describeConnection(m.event);
    case 'typing':
      return describeTyping(m.event);
    case 'source':
      return describeSource(m.source);
  }
}

/** Marks drawn as rows of their own in the lanes (typing shows inline only). */
export function isRowMark(m: LaneMark): boolean {
  switch (m.kind) {
    case 'structured':
    case 'source':
      return true;
    case 'connection':
      return m.row;
    case 'typing':
      return false;
  }
}

/** Marks drawn inline at their position in the text (a zero-width marker). */
export function isInlineMark(m: LaneMark): boolean {
  switch (m.kind) {
    case 'structured':
    case 'typing':
      return true;
    case 'connection':
      return m.event.state === 'disconnected';
    case 'source':
      return false;
  }
}

/** The structured output's JSON as lines for the expanded row: pretty when it parses, as kept when cut. */
const prettyCache = new WeakMap<StructuredOutputEvent, string[]>();
export function jsonLines(e: StructuredOutputEvent): string[] {
  let lines = prettyCache.get(e);
  if (lines) return lines;
  if (e.json === undefined) lines = ['(the JSON was not kept: a redacted recording keeps only its shape)'];
  else {
    let text = e.json;
    try {
      text = JSON.stringify(JSON.parse(e.json), null, 2);
    } catch {
      // Cut at the kept size: shown as kept, never repaired.
    }
    lines = text.split('\n');
    if (e.truncated) lines.push(`… cut: ${e.bytes.toLocaleString('en-US')} bytes in all, the first ${e.json.length.toLocaleString('en-US')} characters kept`);
  }
  prettyCache.set(e, lines);
  return lines;
}
