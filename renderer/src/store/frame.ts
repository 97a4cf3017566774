// When the app applies what arrived: once before the next frame is drawn. A hidden window draws no frames
// (requestAnimationFrame waits until it is shown again), so a timer stands in for them: batches never pile up
// unapplied for longer than that.
const HIDDEN_WINDOW_MS = 100;

export function nextFrame(flush: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    flush();
  };
  const frame = requestAnimationFrame(run);
  const timer = setTimeout(run, HIDDEN_WINDOW_MS);
}
