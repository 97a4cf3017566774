// The main screen: lanes (raw | filtered | Webchat preview) with the hold-back strip and the composer under them, details on
// the right.
import { useStore } from '../../store/store';
import { Counted } from '../Counted';
import { DetailsPanel } from '../details/DetailsPanel';
import { Composer } from './Composer';
import { HoldbackStrip } from './HoldbackStrip';
import { Lanes } from './Lanes';
import { WebchatLane } from './WebchatLane';

export function SessionView() {
  const state = useStore((s) => s.session.state);
  const error = useStore((s) => s.session.error);
  return (
    <div className="session">
      <div className="session-main">
        {state === 'error' ? (
          <p className="errbox" role="alert">
            Could not open the session: {error}
          </p>
        ) : error ? (
          <p className="errbox" role="alert">
            {error}
          </p>
        ) : null}
        <div className="lanes-row">
          <Counted id="lanes">
            <Lanes />
          </Counted>
          <Counted id="WebchatLane">
            <WebchatLane />
          </Counted>
        </div>
        <HoldbackStrip />
        <Counted id="Composer">
          <Composer />
        </Counted>
      </div>
      <Counted id="DetailsPanel">
        <DetailsPanel />
      </Counted>
    </div>
  );
}
