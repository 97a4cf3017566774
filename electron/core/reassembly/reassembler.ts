// Reassembly: raw tokens (text or binary frames, gateway or socket endpoint) → the exact answer text, plus a
// account of where every piece of it came from (RawDelta: which token released it, what was joined from
// which earlier token, which bytes it decoded, what reassembly inserted). A feed/end state machine: no I/O,
// results through the callbacks and accessors.
//
// It must never change the text it was sent: no trimming, no whitespace or markdown normalising, no BOM
// stripping. The only characters it adds are U+FFFD for input that cannot be text (a surrogate half that is
// never completed, invalid UTF-8), each reported as an issue with its position, and the message separator
// between two socket-endpoint messages (ReassemblerOptions.messageSeparator; its delta is marked `separator`
// so the raw view can show it is ours).
//
// Attribution: the text released while a token is fed is that token's delta. A character completed from
// a half held from an earlier token belongs to the completing token (`joined`, `joinedFrom`); a held half
// that turns out to be invalid becomes a U+FFFD attributed to the token it arrived in.
import type { FrameIssueEvent, TokenEvent } from '../../../shared/events';
import { createBase64Decoder } from './base64';
import { REPLACEMENT, hasSurrogate, hex, isHigh, isLow, replaceLoneSurrogates } from './surrogates';
import type { RawDelta, Reassembler, ReassemblerOptions, ReassemblyIssue } from './types';
import { createUtf8StreamDecoder } from './utf8-stream';

export type { RawDelta, Reassembler, ReassemblerOptions, ReassemblyIssue } from './types';

type Kind = 'text' | 'binary';

/** Parts (about one per token) joined into one run at a time. */
const JOIN_EVERY = 1024;

export function createReassembler(opts: ReassemblerOptions = {}): Reassembler {
  const separator = opts.messageSeparator ?? '\n';
  const perOutputMessages = opts.messages === 'per-output';
  const onText = opts.onText;

  /** The text: earlier runs joined, then the recent parts. */
  const runs: string[] = [];
  const parts: string[] = [];
  let len = 0;
  /** What the next appended piece was made from (set by the caller of append, reset after it). */
  const facts: Pick<RawDelta, 'joined' | 'joinedFrom' | 'byteStart' | 'byteEnd' | 'separator'> = {};
  const issues: ReassemblyIssue[] = [];
  const seenMessageIds = new Set<string>();
  let inMessage = false;
  let msgId: string | undefined;
  let msgOwner: TokenEvent | null = null;
  let msgHasText = false;

  let pendingHigh = -1; // the held high surrogate, or -1
  let pendingHighOwner: TokenEvent | null = null;
  const utf8 = createUtf8StreamDecoder();
  const base64 = createBase64Decoder();
  let bytesOwner: TokenEvent | null = null;
  let lastKind: Kind | null = null;
  const seqFrame = new Map<number, number>();
  let lastIndex = -1;
  let ended = false;

  const report = (issue: ReassemblyIssue): void => {
    issues.push(issue);
    opts.onIssue?.(issue);
  };

  /** The text so far ends with the separator (checked only when a new message starts). */
  const endsWithSeparator = (): boolean => {
    let tail = '';
    for (let i = parts.length - 1; i >= 0 && tail.length < separator.length; i--) tail = parts[i]! + tail;
    for (let i = runs.length - 1; i >= 0 && tail.length < separator.length; i--) tail = runs[i]! + tail;
    return tail.endsWith(separator);
  };

  /** Appends text attributed to `owner`; `facts` about how it was made are set by the caller. */
  const append = (text: string, owner: TokenEvent, at: number): void => {
    const start = len;
    parts.push(text);
    // Joined in runs as the answer grows, so text() at the end of a long turn joins a few hundred runs, not
    // one part per token in one block (issue 13); the last part stays separate for endsWithSeparator.
    if (parts.length >= JOIN_EVERY) {
      runs.push(parts.slice(0, -1).join(''));
      parts.splice(0, parts.length - 1);
    }
    len += text.length;
    const d: RawDelta = { start, text, token: owner.index, at };
    if (facts.joined !== undefined) {
      d.joined = facts.joined;
      d.joinedFrom = facts.joinedFrom;
    }
    if (facts.byteStart !== undefined) {
      d.byteStart = facts.byteStart;
      d.byteEnd = facts.byteEnd;
    }
    if (facts.separator) d.separator = true;
    facts.joined = facts.joinedFrom = facts.byteStart = facts.byteEnd = facts.separator = undefined;
    if (onText) onText(d);
  };

  /** Before a message's first text: the separator, if the text so far does not already end with it. */
  const beginMessageText = (at: number): void => {
    if (msgHasText || !inMessage || !msgOwner) return;
    msgHasText = true;
    if (len > 0 && separator.length > 0 && !endsWithSeparator()) {
      // The caller may already have set facts for its own text: the separator must not take them.
      const own = { ...facts };
      facts.joined = facts.joinedFrom = facts.byteStart = facts.byteEnd = undefined;
      facts.separator = true;
      append(separator, msgOwner, at);
      Object.assign(facts, own);
    }
  };

  const emit = (text: string, owner: TokenEvent, at: number): void => {
    if (text.length === 0) return;
    beginMessageText(at);
    append(text, owner, at);
  };

  const invalidUtf8 = (owner: TokenEvent, position: number, byteStart: number, byteEnd: number, at: number, why?: string): void =>
    report({
      kind: 'invalid-utf8', position, source: 'reassembler', at, token: owner.index, byteOffset: byteStart,
      detail: why
        ? `incomplete UTF-8 sequence of ${byteEnd - byteStart} byte(s) at byte ${byteStart} (token ${owner.index}) was never completed (${why}); shown as U+FFFD`
        : `invalid UTF-8: ${byteEnd - byteStart} byte(s) at byte ${byteStart} (token ${owner.index}) are not a character; shown as U+FFFD`,
    });

  /** A held half can no longer be completed: it becomes U+FFFD, attributed to the token it arrived in. */
  const flushHeld = (at: number, why: string): void => {
    if (pendingHighOwner) {
      const owner = pendingHighOwner;
      const unit = pendingHigh;
      pendingHighOwner = null;
      pendingHigh = -1;
      beginMessageText(at);
      report({
        kind: 'lone-surrogate', position: len, source: 'reassembler', at, token: owner.index,
        detail: `high surrogate ${hex(unit)} at the end of token ${owner.index} was never completed (${why}); shown as U+FFFD`,
      });
      emit(REPLACEMENT, owner, at);
    }
    if (utf8.held() > 0 && bytesOwner) {
      const owner = bytesOwner;
      bytesOwner = null;
      utf8.flush((text, byteStart, byteEnd) => {
        beginMessageText(at);
        invalidUtf8(owner, len, byteStart, byteEnd, at, why);
        facts.byteStart = byteStart;
        facts.byteEnd = byteEnd;
        emit(text, owner, at);
      });
    }
  };

  const enterMessage = (ev: TokenEvent): void => {
    const id = ev.origin.messageId;
    // Socket endpoint: an output without _messageId is a message of its own.
    if (!inMessage || id !== msgId || (id === undefined && perOutputMessages)) {
      if (inMessage) flushHeld(ev.at, 'its message ended');
      if (id !== undefined && seenMessageIds.has(id)) {
        report({
          kind: 'notice', position: len, source: 'reassembler', at: ev.at, token: ev.index,
          detail: `message ${id} continues after another message; its chunks are kept in arrival order as a new range`,
        });
      }
      if (id !== undefined) seenMessageIds.add(id);
      inMessage = true;
      msgId = id;
      msgOwner = ev;
      msgHasText = false;
    }
  };

  const feedText = (ev: TokenEvent, s: string): void => {
    const at = ev.at;
    let head = '';
    let from = 0;
    let joinedFrom = -1;
    if (pendingHighOwner) {
      if (s.length === 0) return; // an empty token between the halves does not break the pair
      if (isLow(s.charCodeAt(0))) {
        head = String.fromCharCode(pendingHigh, s.charCodeAt(0));
        joinedFrom = pendingHighOwner.index;
        pendingHighOwner = null;
        pendingHigh = -1;
        from = 1;
      } else {
        flushHeld(at, `token ${ev.index} does not start with a low surrogate`);
      }
    }
    let to = s.length;
    const holdLast = to > from && isHigh(s.charCodeAt(to - 1));
    if (holdLast) to--;
    const body = from === 0 && to === s.length ? s : s.slice(from, to);
    if (head.length + body.length > 0) {
      beginMessageText(at);
      const base = len + head.length;
      const fixed = !hasSurrogate(body)
        ? body
        : replaceLoneSurrogates(body, (i, unit) =>
            report({
              kind: 'lone-surrogate', position: base + i, source: 'reassembler', at, token: ev.index,
              detail: `lone ${isHigh(unit) ? 'high' : 'low'} surrogate ${hex(unit)} inside token ${ev.index}; shown as U+FFFD`,
            }),
          );
      if (joinedFrom >= 0) {
        facts.joined = 'surrogate';
        facts.joinedFrom = joinedFrom;
      }
      emit(head.length > 0 ? head + fixed : fixed, ev, at);
    }
    if (holdLast) {
      pendingHigh = s.charCodeAt(s.length - 1);
      pendingHighOwner = ev;
    }
  };

  // Per-binary-token scratch, filled by the decoder's sink (no closure or array per token).
  let tokEv: TokenEvent | null = null;
  let tokText = '';
  let tokByteStart = -1;
  let tokByteEnd = -1;
  let tokJoinedFrom = -1;
  const binarySink = (text: string, byteStart: number, byteEnd: number, invalid: boolean, carried: boolean): void => {
    const ev = tokEv!;
    if (carried && invalid && bytesOwner) {
      // Bytes held from an earlier token that turn out invalid: their U+FFFD belongs to that token.
      beginMessageText(ev.at);
      invalidUtf8(bytesOwner, len, byteStart, byteEnd, ev.at);
      facts.byteStart = byteStart;
      facts.byteEnd = byteEnd;
      emit(text, bytesOwner, ev.at);
      return;
    }
    if (tokByteStart < 0) {
      beginMessageText(ev.at);
      tokByteStart = byteStart;
      if (carried && bytesOwner) tokJoinedFrom = bytesOwner.index;
    }
    if (invalid) invalidUtf8(ev, len + tokText.length, byteStart, byteEnd, ev.at);
    tokText += text;
    tokByteEnd = byteEnd;
  };

  /** The token's bytes are base64.bytes[0, count). */
  const feedBinary = (ev: TokenEvent, count: number): void => {
    const chunkStart = utf8.position();
    tokEv = ev;
    tokText = '';
    tokByteStart = tokByteEnd = tokJoinedFrom = -1;
    utf8.push(base64.bytes, binarySink, 0, count);
    if (tokText.length > 0) {
      facts.byteStart = tokByteStart;
      facts.byteEnd = tokByteEnd;
      if (tokJoinedFrom >= 0) {
        facts.joined = 'utf8-split';
        facts.joinedFrom = tokJoinedFrom;
      }
      emit(tokText, ev, ev.at);
    }
    tokEv = null;
    // Who owns the bytes held now: the earlier token if its character is still incomplete, else this one.
    if (utf8.held() === 0) bytesOwner = null;
    else if (utf8.heldStart() >= chunkStart) bytesOwner = ev;
  };

  const malformed = (ev: TokenEvent, detail: string): void =>
    report({ kind: 'malformed-frame', position: len, source: 'reassembler', at: ev.at, token: ev.index, detail });

  return {
    feed(ev) {
      if (ended) throw new Error(`reassembler: token ${ev.index} fed after end() of turn ${ev.turnId}`);
      const { origin } = ev;
      if (origin.seq !== undefined) {
        const frame = seqFrame.get(origin.seq);
        if (frame !== undefined && frame !== origin.frame) {
          report({
            kind: 'duplicate-seq', position: len, source: 'reassembler', at: ev.at, token: ev.index, seq: origin.seq,
            detail: `token ${ev.index} (frame ${origin.frame}) repeats seq ${origin.seq} of frame ${frame}; dropped`,
          });
          return;
        }
        seqFrame.set(origin.seq, origin.frame);
      }
      if (ev.index <= lastIndex) {
        report({
          kind: 'notice', position: len, source: 'reassembler', at: ev.at, token: ev.index,
          detail: `token index ${ev.index} is not after ${lastIndex}; kept in arrival order`,
        });
      }
      if (ev.index > lastIndex) lastIndex = ev.index;

      let byteCount = -1;
      if (ev.text === undefined && ev.bytes !== undefined) {
        byteCount = base64.decode(ev.bytes);
        if (byteCount < 0) return malformed(ev, `token ${ev.index}: bytes are not valid base64 (${ev.bytes.length} characters); dropped`);
      } else if (ev.text !== undefined && ev.bytes !== undefined) {
        malformed(ev, `token ${ev.index} has both text and bytes; the text was used, the ${ev.bytes.length} base64 characters were ignored`);
      } else if (ev.text === undefined) {
        malformed(ev, `token ${ev.index} has neither text nor bytes; counted as empty`);
      }

      const kind: Kind = byteCount >= 0 ? 'binary' : 'text';
      enterMessage(ev);
      if (lastKind !== null && lastKind !== kind) flushHeld(ev.at, `a ${kind} token followed`);
      lastKind = kind;
      if (byteCount >= 0) feedBinary(ev, byteCount);
      else feedText(ev, ev.text ?? '');
    },

    markIssue(ev: FrameIssueEvent) {
      const before = len;
      // Data lost in a gap cannot complete a character begun before it; joining across would invent one.
      if (ev.kind === 'seq-gap' && !ended) flushHeld(ev.at, 'data was lost in a sequence gap');
      // A position taken just before this call is the current one, moved past any U+FFFD flushed above.
      const position = ev.position === undefined || ev.position === before ? len : ev.position;
      const issue: ReassemblyIssue = { kind: ev.kind, position, detail: ev.detail, source: 'upstream', at: ev.at };
      if (ev.seq !== undefined) issue.seq = ev.seq;
      if (ev.expectedSeq !== undefined) issue.expectedSeq = ev.expectedSeq;
      issues.push(issue);
      return issue;
    },

    end(atMs) {
      if (ended) return;
      flushHeld(atMs, 'the turn ended');
      ended = true;
    },

    text() {
      if (runs.length || parts.length > 1) {
        // Joined once and kept joined, so asking again costs nothing until more text arrives.
        const whole = runs.join('') + parts.join('');
        runs.length = 0;
        parts.length = 0;
        parts.push(whole);
      }
      return parts[0] ?? '';
    },
    length: () => len,
    issues: () => issues.slice(),
  };
}
