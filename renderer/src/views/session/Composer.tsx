// The message box: Enter sends, Shift+Enter adds a line; Send, and Cancel while a turn streams. In the
// demo environment a Scenario select picks the simulator's behaviour for the next turn; in a Socket Endpoint
// session "Send typing" sends the user's typing state with each message (StartTurnOptions.userTyping).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { DEMO_ENV } from '../../../../shared/environment';
import { SCENARIOS, SCENARIO_LABELS, type ScenarioName } from '../../../../shared/scenarios';
import { useAppStore, useStore } from '../../store/store';

export function Composer() {
  const store = useAppStore();
  const environment = useStore((s) => s.session.environment);
  const state = useStore((s) => s.session.state);
  const streaming = useStore((s) => Boolean(s.session.activeTurnId) || s.session.sending);
  const scenario = useStore((s) => s.session.scenario);
  const socket = useStore((s) => s.session.upstream === 'socket-endpoint');
  const userTyping = useStore((s) => s.session.userTyping);
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  // The menu's "Focus message" (ui.runCommand('focus.composer')) counts up; 0 is the initial value.
  const focusRequests = useStore((s) => s.ui.focusComposer);
  useEffect(() => {
    if (focusRequests > 0) ref.current?.focus();
  }, [focusRequests]);
  const tapped = useStore((s) => s.session.tapped);
  const demo = environment === DEMO_ENV;
  const canSend = state === 'open' && !streaming && text.trim().length > 0;

  const send = async () => {
    if (!canSend) return;
    const input = text;
    if (await store.getState().session.send(input)) setText('');
    ref.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && streaming) {
      e.preventDefault();
      void store.getState().session.cancel();
    }
  };

  if (tapped) {
    return (
      <p className="composer tapped muted" role="note">
        Tapped session: its messages come from your own frontend — type there. Pick an environment above to go back to your own session.
      </p>
    );
  }
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {demo ? (
        <label className="field scenario">
          <span>Scenario</span>
          <select value={scenario} onChange={(e) => store.getState().session.setScenario(e.target.value as ScenarioName)}>
            {SCENARIOS.map((s) => (
              <option key={s} value={s}>
                {SCENARIO_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="field message">
        <span>Message</span>
        <textarea
          id="composer-message"
          ref={ref}
          rows={2}
          value={text}
          placeholder={state === 'open' ? 'Ask something… (Enter sends, Shift+Enter for a new line)' : 'Opening the session…'}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          spellCheck={false}
        />
      </label>
      <div className="composer-actions">
        {socket ? (
          <label className="check" title="Send typingOn, then typingOff as the message goes out, as Webchat does; the timeline shows both">
            <input type="checkbox" checked={userTyping} onChange={(e) => store.getState().session.setUserTyping(e.target.checked)} />
            <span>Send typing</span>
          </label>
        ) : null}
        {streaming ? (
          <button type="button" className="btn danger" onClick={() => void store.getState().session.cancel()}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="btn primary" disabled={!canSend}>
          Send
        </button>
      </div>
    </form>
  );
}
