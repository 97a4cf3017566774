// What each simulator scenario says and does, in words a README can quote, plus the answer texts.
// The wire behaviour is built from these in answers.ts; the socket endpoint maps it in socket-endpoint.ts.
// Must never pick text with Math.random: every phrasing comes from the (input, scenario) seeded PRNG.
import type { ScenarioName } from '../../../shared/scenarios';
import type { Prng } from './prng';

/**
 * Picking a scenario: the simulator's default comes from `--scenario` (or `SimulatorOptions.scenario`);
 * a client overrides it per turn with `"scenario":"<name>"` in the gateway request frame, or with
 * `data.scenario` in the socket endpoint's `processInput`. Answers are deterministic for (input, scenario).
 * Simulator extension for benchmarks: `"repeat": n` in the request frame (or `data.repeat`), 1..10,000,
 * repeats the answer body n times (n = 1,250 gives about 100k tokens).
 *
 * Gateway stream (WebSocket `/api/v2/llm/stream`), per scenario:
 * - `happy`: a several-line markdown answer (a short list with `snake_case`, a URL and `2*3`) in JSON text
 *   frames of 1-3 BPE tokens, `seq` from 0, the last frame `done:true` with `usage`, then close 1000.
 * - `pii`: like happy, but the answer holds a Luhn-valid card (4111 1111 1111 1111), an e-mail
 *   (jane.doe@example.com), an IBAN with a valid mod-97 check (DE89 3704 0044 0532 0130 00) and a phone
 *   number (+1 415 555 2671); each spans several tokens and at least one frame boundary.
 * - `emoji-split`: emoji whose UTF-16 surrogate pair is split: a token ends with a lone high surrogate and
 *   the next token (at least once: the next frame) starts with the low one.
 * - `binary-utf8`: the token text travels as binary frames of raw UTF-8 bytes (real BPE byte tokens), with
 *   frame boundaries inside multi-byte characters; binary frames carry no `seq`; the final
 *   `{"tokens":[],"done":true,"seq":0,"usage":...}` stays a JSON text frame.
 * - `rate-limit`: the first attempt of a `request_id` gets `{"error":"rate limit exceeded",
 *   "code":"rate_limited","retry_after":1}` and close 1013; a retry with the same `request_id` succeeds.
 *   The first variables POST of that dialog and the first context inject of that session then answer
 *   429 with `Retry-After: 1`; their retries succeed.
 * - `stall`: three frames, then silence: no frames, no pings; the socket stays open until the client leaves.
 * - `drop`: some frames, then the TCP connection is destroyed without a close frame (the client sees 1006).
 * - `revoked`: some frames, then close 1008 "token revoked"; the access token used is revoked (401 after).
 * - `server-error`: some frames, then `{"error":"internal server error","code":"internal"}` and close 1011.
 * - `duplicate-seq`: one data frame is sent twice with the same `seq` (drop the copy: the text is intact).
 * - `seq-gap`: one `seq` is skipped and its tokens are never sent (the answer has a hole; usage counts it).
 * - `malformed-frame`: one text frame that is not valid JSON arrives mid-stream (not part of the answer);
 *   the stream continues and completes.
 * - `no-usage`: like happy, but the `done` frame has no `usage` (the client must estimate).
 *
 * Socket endpoint (Socket.IO `processInput`): every scenario streams `output` chunks flushed at `. ! ? \n`
 * with one `_messageId`, the last with `_finishReason:"stop"`, then `finalPing {type:"regular"}`, with
 * `typingStatus` on/off around it. Mapping of the gateway-only behaviours:
 * - `happy`, `pii`, `no-usage`, `binary-utf8`: normal chunks (binary-utf8 sends its text as strings);
 * - `emoji-split`: the same text; a chunk never ends inside a surrogate pair (Cognigy flushes strings);
 * - `rate-limit`: the first `processInput` with a given text in a session gets `output`
 *   `{type:"error", data:{error:{message:"rate limit exceeded", code:"rate_limited", retryAfter:1}}}` and a
 *   `finalPing`; sending the same text again in that session succeeds;
 * - `stall`: the first tokens (a chunk only if they hold a flush character), then nothing: no
 *   `_finishReason`, no `finalPing`, typing stays on;
 * - `drop`: some chunks, then the server closes the transport (the client sees "transport close");
 * - `revoked`: some chunks, then `exception` `{error:{message:"token revoked"}}` and a server disconnect;
 * - `server-error`: some chunks, then `output` `{type:"error", data:{error:{message:"internal server
 *   error", code:"internal"}}}`, then `finalPing` (no `_finishReason`: the message is partial);
 * - `duplicate-seq`: one `output` chunk is delivered twice (as event buffering re-sends an un-acked event);
 * - `seq-gap`: one chunk's text is never sent;
 * - `malformed-frame`: one `output` event whose payload is a bare string, not `{type, data}`.
 */
export const SCENARIO_DOCS: Record<ScenarioName, string> = {
  happy: 'several-line markdown answer (list, `snake_case`, a URL, `2*3`), usage on the done frame',
  pii: 'card 4111 1111 1111 1111, e-mail, IBAN DE89 3704 0044 0532 0130 00, phone +1 415 555 2671, each split across tokens and frames',
  'emoji-split': 'a token ends with a lone high surrogate, the next starts with the low one',
  'binary-utf8': 'token text as binary frames of raw UTF-8, split inside multi-byte characters',
  'rate-limit': 'first attempt: error rate_limited + close 1013; retry with the same request_id succeeds; first variables POST / context inject of that dialog/session get 429 Retry-After: 1',
  stall: 'three frames, then silence (no frames, no pings) until the client gives up',
  drop: 'some frames, then the connection is destroyed (1006)',
  revoked: 'some frames, then close 1008 "token revoked" (the token is revoked)',
  'server-error': 'some frames, then error code internal and close 1011',
  'duplicate-seq': 'one data frame sent twice with the same seq',
  'seq-gap': 'one seq skipped, its tokens never sent',
  'malformed-frame': 'one text frame that is not JSON mid-stream; the stream continues',
  'no-usage': 'done frame without usage',
  'closing-text': 'socket: the closing chunk (`_finishReason`) carries the last sentence instead of being empty (Webchat with collation drops it)',
  'empty-first-chunk': 'socket: the first chunk of the message has empty text (Webchat with collation discards it)',
  'rich-content': 'socket: quick replies (after the 2nd chunk) and a gallery (after the 4th) as outputs of their own, no text, no `_messageId`',
  'control-command': 'socket: after the answer, an output with `data._cognigy.controlCommands` `[{type:"setRating"}]`',
  handover: 'socket: the bot answer, then a `_webchat3` queue update and live-agent event, then two `source:"agent"` outputs',
  typing: 'socket: typingOn before the answer, typingOff/typingOn around a pause mid-answer, typingOff after finalPing',
  reconnect: 'socket: after some chunks the server disconnects the socket; the flow waits for the session to reconnect, sends a new `endpoint-ready`, loses the one chunk produced meanwhile and streams the rest',
  'flow-usage': "socket: after the answer, a data output with the flow's stored result `data.promptResult` `{finishReason, usage}` (usage path `data.promptResult.usage`)",
  'malformed-outputs': 'socket: after some chunks, outputs with no `data`, `data` a string, `_messageId` a number, a finish reason for an unknown message, and a ~400 kB gallery; then the rest',
  'output-flood': 'socket: 10,000 one-word chunks of one message as fast as the socket takes them, then `_finishReason` and finalPing',
};

/** The PII the `pii` answer carries, so tests and filters can look for exactly these strings. */
export const PII_SAMPLES = {
  card: '4111 1111 1111 1111',
  email: 'jane.doe@example.com',
  iban: 'DE89 3704 0044 0532 0130 00',
  phone: '+1 415 555 2671',
} as const;

/** Longest quoted prefix of the input echoed in an answer, in code points. */
const QUOTE_MAX = 60;

/** The user's input as a short one-line quote ('' when empty). Never cuts a surrogate pair. */
export function quote(input: string): string {
  const flat = input.replace(/\s+/g, ' ').trim();
  const cps = Array.from(flat);
  return cps.length > QUOTE_MAX ? `${cps.slice(0, QUOTE_MAX).join('')}…` : flat;
}

const about = (q: string): string => (q ? ` about "${q}"` : '');

function happyText(q: string, prng: Prng): string {
  const opener = prng.pick([
    'Sure, here is a short overview',
    'Happy to help, here are the key points',
    'Good question, here is a quick summary',
  ]);
  const closer = prng.pick([
    'Anything else I can help with?',
    'Let me know if you want more detail on any of these.',
    'Does that answer your question?',
  ]);
  return (
    `${opener}${about(q)}:\n\n` +
    '- Name variables in `snake_case`, e.g. `llm_response`.\n' +
    '- The docs are at https://docs.cognigy.com/ai/ (search for "LLM Prompt").\n' +
    '- Quick check: 2*3 = 6, and 3.14 is close to pi.\n\n' +
    closer
  );
}

function piiText(q: string, prng: Prng): string {
  const opener = prng.pick(['I found the customer record', 'Here is the record on file', 'This is what we have stored']);
  return (
    `${opener}${about(q)}:\n\n` +
    `- Card: ${PII_SAMPLES.card}\n` +
    `- E-mail: ${PII_SAMPLES.email}\n` +
    `- IBAN: ${PII_SAMPLES.iban}\n` +
    `- Phone: ${PII_SAMPLES.phone}\n\n` +
    'Please verify the caller before reading any of this out.'
  );
}

function emojiText(q: string, prng: Prng): string {
  const opener = prng.pick(['Done! 🎉', 'All set! 🎉', 'Great news! 🎉']);
  return (
    `${opener} Your order${about(q)} shipped 📦 and should arrive soon 🚚.\n` +
    'Rating: 👍🏽 Thanks for waiting 😀, have a great day ✨ 🇩🇪 👩‍💻'
  );
}

function binaryText(q: string, prng: Prng): string {
  const opener = prng.pick(['Grüße aus Köln!', 'Grüezi aus Zürich!', 'Hallo aus München!']);
  return (
    `${opener} Crème brûlée, naïve façade, smørrebrød${about(q)}.\n` +
    '中文: 你好，世界。 Emoji: 😀 👍🏽 🇩🇪. Ελληνικά και русский текст.'
  );
}

/** Joins the parts of a repeated answer. */
export const PART_SEPARATOR = '\n\n';

/** The full answer text for a scenario; `repeat` > 1 repeats the body (for benchmarks of long answers). */
export function answerText(scenario: ScenarioName, input: string, prng: Prng, repeat = 1): string {
  return answerParts(scenario, input, prng, repeat).join(PART_SEPARATOR);
}

/** The answer as its repeated bodies (one unless `repeat` > 1), to be joined with PART_SEPARATOR. */
export function answerParts(scenario: ScenarioName, input: string, prng: Prng, repeat = 1): string[] {
  const q = quote(input);
  const make = (): string => {
    switch (scenario) {
      case 'pii':
        return piiText(q, prng);
      case 'emoji-split':
        return emojiText(q, prng);
      case 'binary-utf8':
        return binaryText(q, prng);
      default:
        return happyText(q, prng);
    }
  };
  const parts: string[] = [];
  for (let i = 0; i < repeat; i++) parts.push(make());
  return parts;
}
