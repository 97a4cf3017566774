// Reads one socket `output` event into what the turn needs: its kind (answer output, error, v3 finalPing),
// text, `_messageId`/`_finishReason`, the fields it carries about itself (source, traceId,
// disableSensitiveLogging), its structured parts and a flow's stored usage at the environment's path — or
// why it is malformed, keeping the offending payload. Pure: no I/O, never throws on any input.
import type { TokenUsage } from '../../../../shared/events';
import { keptJson, structuredParts, type StructuredPart } from './structured-output';

export interface OutputMeta {
  source?: string;
  traceId?: string;
  disableSensitiveLogging?: boolean;
}

export type OutputReading =
  | { kind: 'finalPing' }
  | { kind: 'error'; error: unknown }
  | { kind: 'unknown-type'; type: string }
  | { kind: 'malformed'; detail: string; raw: string; rawTruncated: boolean; text?: string; meta: OutputMeta }
  | {
      kind: 'output';
      text: string;
      messageId?: string;
      finishReason?: string;
      meta: OutputMeta;
      parts: StructuredPart[];
      usage?: TokenUsage;
    };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function metaOf(d: Record<string, unknown>): OutputMeta {
  return {
    ...(typeof d.source === 'string' ? { source: d.source } : {}),
    ...(typeof d.traceId === 'string' ? { traceId: d.traceId } : {}),
    ...(typeof d.disableSensitiveLogging === 'boolean' ? { disableSensitiveLogging: d.disableSensitiveLogging } : {}),
  };
}

function malformed(detail: string, payload: unknown, meta: OutputMeta = {}, text?: string): OutputReading {
  const { json, truncated } = keptJson(payload);
  return { kind: 'malformed', detail, raw: json, rawTruncated: truncated, meta, ...(text ? { text } : {}) };
}

/** The value at a dotted path (`data.promptResult.usage`) of the output's `{text, data}`. */
function at(root: Record<string, unknown>, path: string): unknown {
  let v: unknown = root;
  for (const key of path.split('.')) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/**
 * A "Store Detailed Results" usage object: `{prompt_tokens, completion_tokens, total_tokens}` (OpenAI form)
 * or the camelCase / input-output forms other providers report; undefined when it is none of these.
 */
export function usageOf(v: unknown): TokenUsage | undefined {
  if (!isObject(v)) return undefined;
  const prompt = count(v.prompt_tokens) ?? count(v.promptTokens) ?? count(v.inputTokens) ?? count(v.input_tokens);
  const completion = count(v.completion_tokens) ?? count(v.completionTokens) ?? count(v.outputTokens) ?? count(v.output_tokens);
  if (prompt === undefined || completion === undefined) return undefined;
  const total = count(v.total_tokens) ?? count(v.totalTokens) ?? prompt + completion;
  return { prompt, completion, total };
}

/** Reads one `output` event payload. `usagePath` is the environment's path to a flow's stored usage. */
export function readOutput(payload: unknown, usagePath?: string): OutputReading {
  if (!isObject(payload)) return malformed(`is not an object {type, data} but ${payload === null ? 'null' : typeof payload}`, payload);
  const type = payload.type;
  if (type === 'finalPing') return { kind: 'finalPing' };
  if (type === 'error') return { kind: 'error', error: isObject(payload.data) && payload.data.error !== undefined ? payload.data.error : payload.data };
  if (type !== 'output') return { kind: 'unknown-type', type: JSON.stringify(type) ?? String(type) };
  const d = payload.data;
  if (d === undefined || d === null) return malformed('has no data', payload);
  if (!isObject(d)) return malformed(`has data that is not an object but ${Array.isArray(d) ? 'an array' : typeof d}`, payload);
  const meta = metaOf(d);
  const text = typeof d.text === 'string' ? d.text : '';
  if (d.text !== undefined && d.text !== null && typeof d.text !== 'string') return malformed(`has text that is not a string but ${typeof d.text}`, payload, meta);
  const inner = d.data;
  if (inner !== undefined && inner !== null && !isObject(inner)) return malformed(`has data.data that is not an object but ${Array.isArray(inner) ? 'an array' : typeof inner}`, payload, meta, text);
  const data = isObject(inner) ? inner : {};
  const cognigy = isObject(data._cognigy) ? data._cognigy : {};
  const id = cognigy._messageId;
  if (id !== undefined && id !== null && typeof id !== 'string') {
    // The text is still the bot's: it is kept (as an unstreamed message), the output reported.
    return malformed(`has a _messageId that is not a string but ${typeof id} (${JSON.stringify(id)?.slice(0, 40)})`, payload, meta, text);
  }
  const fr = cognigy._finishReason;
  const usage = usagePath ? usageOf(at(d, usagePath)) : undefined;
  return {
    kind: 'output',
    text,
    ...(typeof id === 'string' ? { messageId: id } : {}),
    ...(typeof fr === 'string' && fr ? { finishReason: fr } : {}),
    meta,
    parts: structuredParts(data),
    ...(usage ? { usage } : {}),
  };
}

