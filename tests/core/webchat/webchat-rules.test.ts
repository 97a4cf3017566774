// The Webchat rendering rules, one test per rule of docs/webchat-rendering.md (W2…W10) and per warning kind.
import { describe, expect, it } from 'vitest';
import { WEBCHAT_PRESET_FLAGS, type WebchatFlags } from '../../../shared/webchat';
import { bubbleText, createWebchatRenderer, isBlankText, splitAtNewlines, type BubbleChange, type Warning, type WebchatOutput } from '../../../electron/core/webchat/webchat-rules';

const { classic, modern, slick } = WEBCHAT_PRESET_FLAGS;
const progressiveOnly: WebchatFlags = { collateStreamedOutputs: false, progressiveMessageRendering: true };

type Out = Partial<WebchatOutput> & { text?: string };

/** Feeds outputs (frames and filtered offsets filled in) and returns what each bubble shows, the changes and the warnings. */
function render(flags: WebchatFlags, outs: Out[]) {
  const changes: BubbleChange[] = [];
  const warnings: Warning[] = [];
  const r = createWebchatRenderer(flags, { bubble: (c) => changes.push(c), warning: (w) => warnings.push(w) });
  let start = 0;
  outs.forEach((o, frame) => {
    const text = o.text ?? '';
    r.output({ source: 'bot', ...o, frame, text, start });
    start += text.length;
  });
  r.end();
  const bubbles = r.bubbles();
  return { texts: bubbles.map((b) => bubbleText(b, flags)), bubbles, changes, warnings };
}

/** One streamed message: chunks with the same id, the last with _finishReason. */
function stream(id: string, chunks: string[], closing: string | null = ''): Out[] {
  const outs: Out[] = chunks.map((text) => ({ text, messageId: id }));
  if (closing !== null) outs.push({ text: closing, messageId: id, finishReason: 'stop' });
  return outs;
}

const quickReplies = { kind: 'rich' as const, summary: 'quick replies: Yes | No' };

describe('W2: Webchat events and control commands are not drawn', () => {
  it('a _webchat3 event is never a bubble, not even its text', () => {
    for (const flags of [classic, modern, slick, progressiveOnly]) {
      const r = render(flags, [{ text: 'queue position 3', content: { kind: 'event', summary: 'queueUpdate' } }]);
      expect(r.bubbles).toHaveLength(0);
      expect(r.warnings).toHaveLength(0);
    }
  });
  it('a control command draws nothing; only its text counts', () => {
    expect(render(modern, [{ content: { kind: 'control', summary: 'setRating' } }]).bubbles).toHaveLength(0);
    expect(render(modern, [{ text: 'Please rate us.', content: { kind: 'control', summary: 'setRating' } }]).texts).toEqual(['Please rate us.']);
  });
});

describe('W3: plain rendering (both flags off, or not from the bot)', () => {
  it('Classic: every chunk of a streamed answer is a bubble of its own, in arrival order', () => {
    const r = render(classic, stream('m1', ['Hello there.', ' How can I help?']));
    expect(r.texts).toEqual(['Hello there.', 'How can I help?']);
    expect(r.bubbles.every((b) => b.finished)).toBe(true);
  });
  it('Classic: the text is kept as sent (not cut at newlines)', () => {
    expect(render(classic, [{ text: 'a\nb' }]).bubbles[0]!.pieces).toEqual(['a\nb']);
  });
  it('Classic: an empty output draws nothing; a whitespace-only one draws nothing and is reported', () => {
    const r = render(classic, [{ text: '', messageId: 'm1' }, { text: '\n\n', messageId: 'm1' }, { text: 'Hi.', messageId: 'm1', finishReason: 'stop' }]);
    expect(r.texts).toEqual(['Hi.']);
    expect(r.warnings.map((w) => w.kind)).toEqual(['chunk-discarded']);
    expect(r.warnings[0]).toMatchObject({ frames: [1], text: '\n\n', start: 0, end: 2, messageId: 'm1' });
  });
  it('Classic: the closing chunk\'s text is shown (no collation, nothing is dropped)', () => {
    expect(render(classic, stream('m1', ['Sure.'], ' See you!')).texts).toEqual(['Sure.', 'See you!']);
  });
  it('an agent output is its own bubble even when collation is on', () => {
    const r = render(modern, [
      { text: 'I am Anna.', messageId: 'a1', source: 'agent' },
      { text: ' How can I help?', messageId: 'a1', source: 'agent', finishReason: 'stop' },
    ]);
    expect(r.texts).toEqual(['I am Anna.', ' How can I help?']);
    expect(r.bubbles.map((b) => b.source)).toEqual(['agent', 'agent']);
    expect(r.warnings.map((w) => w.kind)).toEqual(['split-bubbles']);
  });
  it('Classic: rich content is a bubble of its own between text bubbles', () => {
    const r = render(classic, [{ text: 'Pick one.' }, { content: quickReplies }, { text: 'Or ask me.' }]);
    expect(r.bubbles.map((b) => b.kind)).toEqual(['text', 'rich', 'text']);
    expect(r.bubbles[1]!.summary).toBe('quick replies: Yes | No');
  });
});

describe('W4: rich content is its own message when a flag is on', () => {
  it('no text and no _messageId: a complete message between the text bubbles', () => {
    const r = render(modern, [...stream('m1', ['Choose:'], null), { content: quickReplies }, { text: '', messageId: 'm1', finishReason: 'stop' }]);
    expect(r.bubbles.map((b) => b.kind)).toEqual(['text', 'rich']);
    expect(r.bubbles[1]!.finished).toBe(true);
    expect(r.warnings).toHaveLength(0);
  });
  it('an output with neither text nor content draws nothing', () => {
    expect(render(modern, [{ text: '' }]).bubbles).toHaveLength(0);
  });
});

describe('W5: blank outputs start nothing', () => {
  it('an empty first chunk is discarded silently, the next chunk opens the bubble', () => {
    const r = render(modern, stream('m1', ['', 'Hello.', ' Bye.']));
    expect(r.texts).toEqual(['Hello. Bye.']);
    expect(r.bubbles[0]!.frames[0]).toBe(1);
    expect(r.warnings).toHaveLength(0);
  });
  it('a whitespace-only first chunk is discarded and reported', () => {
    const r = render(slick, stream('m1', ['\n', 'Hello.']));
    expect(r.texts).toEqual(['Hello.']);
    expect(r.warnings).toEqual([expect.objectContaining({ kind: 'chunk-discarded', frames: [0], text: '\n', start: 0, end: 1 })]);
  });
  it('backspace and form feed count as blank', () => {
    expect(isBlankText('\u0008\f\t \r\v')).toBe(true);
    expect(isBlankText('\u00a0x')).toBe(false);
  });
  it('rich content carrying a _messageId is not shown and is reported', () => {
    const r = render(modern, [{ messageId: 'm1', content: quickReplies }, ...stream('m1', ['Hi.'])]);
    expect(r.bubbles.map((b) => b.kind)).toEqual(['text']);
    expect(r.warnings).toEqual([expect.objectContaining({ kind: 'rich-dropped', frames: [0], messageId: 'm1' })]);
  });
  it('without collation an empty closing chunk is dropped silently', () => {
    const r = render(progressiveOnly, stream('m1', ['Hi.']));
    expect(r.texts).toEqual(['Hi.']);
    expect(r.warnings).toHaveLength(0);
  });
});

describe('W6: collation joins the chunks of one _messageId', () => {
  it('Slick: one bubble per message, chunks appended as pieces', () => {
    const r = render(slick, stream('m1', ['Hello.', ' How', ' are you?']));
    expect(r.texts).toEqual(['Hello. How are you?']);
    expect(r.bubbles[0]!.pieces).toEqual(['Hello.', ' How', ' are you?']);
    expect(r.changes.map((c) => c.op)).toEqual(['open', 'append', 'append', 'finish']);
  });
  it('two messages make two bubbles, in order', () => {
    const r = render(modern, [...stream('m1', ['One.']), ...stream('m2', ['Two.'])]);
    expect(r.texts).toEqual(['One.', 'Two.']);
  });
  it('a bubble stays unfinished until its closing chunk', () => {
    expect(render(modern, stream('m1', ['Hel', 'lo'], null)).bubbles[0]!.finished).toBe(false);
  });
  it('an output without _messageId stays a message of its own', () => {
    expect(render(slick, [{ text: 'Welcome.' }, ...stream('m1', ['Hi.'])]).texts).toEqual(['Welcome.', 'Hi.']);
  });
});

describe('W7: the closing chunk only marks the bubble finished', () => {
  it('its text is not appended, and the loss is reported with where it is', () => {
    for (const flags of [modern, slick]) {
      const r = render(flags, stream('m1', ['Your order ships today.', ' Anything else?'], ' Thanks for waiting!'));
      expect(r.texts).toEqual(['Your order ships today. Anything else?']);
      expect(r.bubbles[0]!.finished).toBe(true);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatchObject({ kind: 'closing-text-dropped', frames: [2], messageId: 'm1', bubble: 0, text: ' Thanks for waiting!', start: 38, end: 58 });
      expect(r.warnings[0]!.detail).toContain('" Thanks for waiting!"');
      expect(r.warnings[0]!.detail).toContain('output 2 of message m1');
    }
  });
  it('an empty or blank closing chunk loses nothing visible: no warning', () => {
    expect(render(modern, stream('m1', ['Done.'], '')).warnings).toHaveLength(0);
    expect(render(modern, stream('m1', ['Done.'], '\n')).warnings).toHaveLength(0);
  });
  it('a closing chunk that opens its bubble is shown', () => {
    const r = render(modern, [{ text: '', messageId: 'm1' }, { text: 'All in one.', messageId: 'm1', finishReason: 'stop' }]);
    expect(r.texts).toEqual(['All in one.']);
    expect(r.warnings).toHaveLength(0);
  });
});

describe('W8: a new bubble\'s text is cut at newlines', () => {
  it('the first text is split, each newline its own piece; appended chunks are not split', () => {
    expect(splitAtNewlines('a\n\nb\n')).toEqual(['a', '\n', '\n', 'b', '\n']);
    const r = render(modern, stream('m1', ['# Title\n- one\n', '- two\n- three']));
    expect(r.bubbles[0]!.pieces).toEqual(['# Title', '\n', '- one', '\n', '- two\n- three']);
    expect(r.texts).toEqual(['# Title\n- one\n- two\n- three']);
  });
});

describe('W9: progressive rendering without collation', () => {
  it('every non-blank chunk is a bubble of its own, complete at once', () => {
    const r = render(progressiveOnly, stream('m1', ['First.', ' Second.'], ' Third.'));
    expect(r.texts).toEqual(['First.', 'Second.', 'Third.']);
    expect(r.bubbles.every((b) => b.finished)).toBe(true);
  });
});

describe('W10: without collation a bot bubble starts without its leading whitespace', () => {
  it('trimmed in Classic and progressive-only, kept with collation and for agents', () => {
    expect(render(classic, [{ text: '  Hi.' }]).texts).toEqual(['Hi.']);
    expect(render(progressiveOnly, [{ text: ' Hi.' }]).texts).toEqual(['Hi.']);
    expect(render(slick, [{ text: ' Hi.' }]).texts).toEqual([' Hi.']);
    expect(render(classic, [{ text: ' Hi.', source: 'agent' }]).texts).toEqual([' Hi.']);
  });
});

describe('split-bubbles warning', () => {
  it('one per streamed message shown as several bubbles, naming the outputs and the count', () => {
    const r = render(classic, [...stream('m1', ['A.', ' B.', ' C.']), ...stream('m2', ['Only one.'])]);
    expect(r.warnings).toEqual([expect.objectContaining({ kind: 'split-bubbles', messageId: 'm1', frames: [0, 1, 2], bubble: 0, bubbles: 3 })]);
    expect(r.warnings[0]!.detail).toContain('3 bubbles (outputs 0–2)');
  });
  it('a message never closed is judged at the end of the turn', () => {
    expect(render(progressiveOnly, stream('m1', ['A.', ' B.'], null)).warnings.map((w) => w.kind)).toEqual(['split-bubbles']);
  });
  it('never with collation', () => {
    expect(render(slick, stream('m1', ['A.', ' B.', ' C.'])).warnings).toHaveLength(0);
  });
});
