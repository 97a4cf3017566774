// What a socket output carries besides answer text, as structured parts: rich content (`_default`,
// `_webchat`, `_facebook`), Webchat v3 events (`_webchat3`), control commands, plugin payloads and any
// other top-level data — each with its kind, where it was, a one-line summary and its JSON (bounded).
// Pure functions: no I/O. Must never put any of this into the answer text, and never drop a part.
import { MAX_KEPT_JSON, type StructuredOutputKind } from '../../../../shared/events';

export interface StructuredPart {
  kind: StructuredOutputKind;
  path: string;
  summary: string;
  json: string;
  bytes: number;
  truncated: boolean;
}

/** Keys of `data._cognigy` that are rich content, by channel. */
const RICH_KEYS = ['_default', '_webchat', '_facebook'] as const;
/** Keys of `data._cognigy` that describe the message itself, not content. */
const META_KEYS = new Set(['_messageId', '_finishReason']);
const SUMMARY_MAX = 120;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON text of a value, cut at MAX_KEPT_JSON characters; `bytes` is the whole size in UTF-8. */
export function keptJson(value: unknown): { json: string; bytes: number; truncated: boolean } {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = JSON.stringify(String(value));
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  return text.length > MAX_KEPT_JSON ? { json: text.slice(0, MAX_KEPT_JSON), bytes, truncated: true } : { json: text, bytes, truncated: false };
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  const cps = Array.from(flat);
  return cps.length > SUMMARY_MAX ? `${cps.slice(0, SUMMARY_MAX - 1).join('')}…` : flat;
}

const titles = (items: unknown, key = 'title'): string[] =>
  Array.isArray(items) ? items.flatMap((i) => (isObject(i) && typeof i[key] === 'string' ? [JSON.stringify(i[key])] : [])) : [];
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** One line for a rich-content value (`_default`, `_webchat` or `_facebook`). */
function richSummary(value: unknown): string {
  if (!isObject(value)) return 'rich content';
  const parts: string[] = [];
  const qr = value._quickReplies;
  if (isObject(qr)) parts.push(`quick replies: ${titles(qr.quickReplies).join(' · ') || count(0, 'reply', 'replies')}`);
  const gal = value._gallery;
  if (isObject(gal)) parts.push(`gallery: ${count(Array.isArray(gal.items) ? gal.items.length : 0, 'card')}`);
  const btn = value._buttons;
  if (isObject(btn)) parts.push(`buttons: ${titles(btn.buttons).join(' · ')}`);
  const list = value._list;
  if (isObject(list)) parts.push(`list: ${count(Array.isArray(list.items) ? list.items.length : 0, 'item')}`);
  for (const media of ['_image', '_audio', '_video'] as const) if (isObject(value[media])) parts.push(media.slice(1));
  if (isObject(value._adaptiveCard)) parts.push('adaptive card');
  // The Webchat / Facebook form: {message: {text, quick_replies, attachment}}.
  const message = value.message;
  if (isObject(message)) {
    if (Array.isArray(message.quick_replies)) parts.push(`quick replies: ${titles(message.quick_replies).join(' · ')}`);
    const att = message.attachment;
    if (isObject(att)) {
      const payload = isObject(att.payload) ? att.payload : {};
      const template = typeof payload.template_type === 'string' ? payload.template_type : undefined;
      parts.push(template ? `${template} template${Array.isArray(payload.elements) ? ` (${count(payload.elements.length, 'element')})` : ''}` : `${typeof att.type === 'string' ? att.type : 'an'} attachment`);
    }
    if (!parts.length && typeof message.text === 'string') parts.push(`message: ${JSON.stringify(message.text)}`);
  }
  if (value.type === 'adaptiveCard') parts.push('adaptive card');
  return parts.join('; ') || `rich content (${Object.keys(value).join(', ') || 'empty'})`;
}

function webchat3Summary(value: unknown): string {
  if (!isObject(value)) return 'Webchat event';
  const type = typeof value.type === 'string' ? value.type : 'event';
  const p = isObject(value.payload) ? value.payload : {};
  if (type === 'queueUpdate') return `queue update: position ${typeof p.position === 'number' || typeof p.position === 'string' ? p.position : '—'}${typeof p.estimatedWaitTime === 'number' ? `, about ${Math.round(p.estimatedWaitTime / 1000)} s` : ''}`;
  if (type === 'liveAgentEvent') return `live agent: ${[p.action, p.agentName, p.text].filter((x) => typeof x === 'string').join(' · ')}`;
  return `Webchat event ${type}`;
}

function commandsSummary(value: unknown): string {
  const types = Array.isArray(value) ? value.map((c) => (isObject(c) && typeof c.type === 'string' ? c.type : '?')) : [];
  return `control command${types.length === 1 ? '' : 's'}: ${types.join(', ') || 'none'}`;
}

function part(kind: StructuredOutputKind, path: string, summary: string, value: unknown): StructuredPart {
  return { kind, path, summary: oneLine(summary), ...keptJson(value) };
}

/**
 * The structured parts of an output's `data`, in a fixed order: rich content by channel, Webchat events,
 * control commands, other `_cognigy` keys, plugin, other top-level data (a flow's stored usage too: it
 * is shown here as well as becoming the reported usage).
 */
export function structuredParts(data: Record<string, unknown>): StructuredPart[] {
  const out: StructuredPart[] = [];
  const cognigy = isObject(data._cognigy) ? data._cognigy : undefined;
  if (cognigy) {
    for (const k of RICH_KEYS) if (cognigy[k] !== undefined && cognigy[k] !== null) out.push(part('rich-content', `data._cognigy.${k}`, richSummary(cognigy[k]), cognigy[k]));
    if (cognigy._webchat3 !== undefined) out.push(part('webchat-event', 'data._cognigy._webchat3', webchat3Summary(cognigy._webchat3), cognigy._webchat3));
    if (cognigy.controlCommands !== undefined) out.push(part('control-command', 'data._cognigy.controlCommands', commandsSummary(cognigy.controlCommands), cognigy.controlCommands));
    for (const [k, v] of Object.entries(cognigy)) {
      if (META_KEYS.has(k) || (RICH_KEYS as readonly string[]).includes(k) || k === '_webchat3' || k === 'controlCommands' || v === undefined || v === null) continue;
      out.push(part('data', `data._cognigy.${k}`, `data ${k}`, v));
    }
  }
  if (data._plugin !== undefined) {
    const type = isObject(data._plugin) && typeof data._plugin.type === 'string' ? data._plugin.type : 'unknown';
    out.push(part('plugin', 'data._plugin', `plugin ${type}`, data._plugin));
  }
  for (const [k, v] of Object.entries(data)) {
    if (k === '_cognigy' || k === '_plugin' || v === undefined || v === null) continue;
    if (isObject(v) && Object.keys(v).length === 0) continue;
    out.push(part('data', `data.${k}`, `data ${k}: ${isObject(v) ? `{${Object.keys(v).slice(0, 5).join(', ')}}` : JSON.stringify(v)}`, v));
  }
  return out;
}
