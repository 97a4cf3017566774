// The non-text outputs the simulated Socket Endpoint sends in its scenarios: rich content (quick replies, a
// gallery), a control command, Webchat v3 events, live-agent messages after a handover, a flow's stored
// usage, and the malformed outputs of the bad-input scenarios. Shapes follow the `data._cognigy` layout the
// official clients declare (`_default`, `_webchat`, `_webchat3`, `controlCommands`, `data._plugin`); the
// content is this project's own. Pure data builders: no I/O.
import type { WireUsage } from './answers';

export type OutputSource = 'bot' | 'agent' | 'engagement';

/** One `output` event's payload as the server emits it. */
export interface WireOutput {
  type: 'output';
  data: { text: string; data: Record<string, unknown> | null; source: OutputSource; traceId: string; disableSensitiveLogging: boolean };
}

export function output(text: string, data: Record<string, unknown> | null, traceId: string, source: OutputSource = 'bot'): WireOutput {
  return { type: 'output', data: { text, data, source, traceId, disableSensitiveLogging: false } };
}

/** Quick replies, both as the channel-neutral `_default` and the Webchat `_webchat` message. */
export function quickReplies(): Record<string, unknown> {
  const replies = [
    { title: 'Yes, thanks', payload: 'yes' },
    { title: 'Tell me more', payload: 'more' },
  ];
  return {
    _cognigy: {
      _default: {
        _quickReplies: {
          type: 'quick_replies',
          text: 'Was this helpful?',
          quickReplies: replies.map((r, i) => ({ id: i + 1, contentType: 'postback', title: r.title, payload: r.payload })),
        },
      },
      _webchat: { message: { text: 'Was this helpful?', quick_replies: replies.map((r) => ({ content_type: 'text', title: r.title, payload: r.payload })) } },
    },
  };
}

export function gallery(): Record<string, unknown> {
  const items = ['Getting started', 'Streaming answers', 'Webchat settings'].map((title, i) => ({
    id: i + 1,
    title,
    subtitle: `Guide ${i + 1} of 3`,
    imageUrl: `https://example.com/guide-${i + 1}.png`,
    buttons: [{ id: 1, type: 'web_url', title: 'Open', url: `https://example.com/guide-${i + 1}` }],
  }));
  return { _cognigy: { _default: { _gallery: { type: 'carousel', items } } } };
}

export function setRatingCommand(): Record<string, unknown> {
  return { _cognigy: { controlCommands: [{ type: 'setRating', parameters: { ratingTitleText: 'How did we do?', ratingCommentText: 'Tell us more' } }] } };
}

export function queueUpdate(position: number): Record<string, unknown> {
  return { _cognigy: { _webchat3: { type: 'queueUpdate', payload: { position, estimatedWaitTime: 30_000, alternativeText: null } } } };
}

export function liveAgentJoined(agentName: string): Record<string, unknown> {
  return { _cognigy: { _webchat3: { type: 'liveAgentEvent', payload: { action: 'agentJoined', agentName, text: `${agentName} joined the conversation` } } } };
}

/** What a live agent types after the handover (source `agent`, never streamed). */
export const AGENT_LINES = ['Hi, this is Sam from the support team.', 'I can see your question above; let me check that for you.'] as const;

/** The flow's "Store Detailed Results" object, output as data (`data.promptResult`): finish reason and usage. */
export function storedResult(usage: WireUsage): Record<string, unknown> {
  return { promptResult: { finishReason: 'stop', usage: { ...usage } } };
}
/** Where storedResult puts the usage, as an environment's usage path names it. */
export const STORED_USAGE_PATH = 'data.promptResult.usage';

/**
 * The `malformed-outputs` scenario's broken outputs, in order, each described for the README. None of them
 * may end the session; the text streamed before them must survive.
 */
export function malformedOutputs(messageId: string, traceId: string): Array<{ what: string; payload: unknown }> {
  const huge = Array.from({ length: 4_000 }, (_, i) => ({ id: i + 1, title: `Option ${i + 1}`, subtitle: 'x'.repeat(40), imageUrl: `https://example.com/${i}.png` }));
  return [
    { what: 'no data', payload: { type: 'output' } },
    { what: 'data not an object', payload: { type: 'output', data: 'just a string' } },
    { what: '_messageId not a string', payload: { type: 'output', data: { text: 'Numbered id. ', data: { _cognigy: { _messageId: 42 } }, source: 'bot', traceId } } },
    { what: 'finish reason on an unknown message', payload: { type: 'output', data: { text: '', data: { _cognigy: { _messageId: `${messageId}-unknown`, _finishReason: 'stop' } }, source: 'bot', traceId } } },
    { what: 'an enormous rich payload (about 400 kB)', payload: output('', { _cognigy: { _default: { _gallery: { type: 'carousel', items: huge } } } }, traceId) },
  ];
}

/** Outputs the `output-flood` scenario sends: this many one-word chunks of one message, as fast as possible. */
export const FLOOD_OUTPUTS = 10_000;
