// `stream`: one turn, live. stdout carries exactly the answer text (filtered by default, --raw for raw)
// plus one final newline if it lacks one; or, with --json, the normalized events as JSONL. Everything for
// humans (progress, usage, timing, sync status) goes to stderr. Exit codes are a contract for scripts.
import type { Cause, TurnStatus } from '../../../shared/events';
import { SCENARIOS } from '../../../shared/scenarios';
import { WEBCHAT_MODES } from '../../../shared/webchat';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import { compilePolicy } from '../../core/filters';
import { startSessionRecorder, type SessionRecorder } from '../../core/recording/session-recorder';
import { sessionOptionsFrom, setupSession } from '../session-setup';
import { formatSummary, formatSyncEvent } from '../turn-report';
import { formatWebchatBubbles, formatWebchatSettings, formatWebchatWarning, assertWebchatEnvironment, parseWebchatOption } from '../webchat-report';
import { parseNumber, parseOptions, SESSION_OPTIONS } from '../options';

const HELP = `Usage: npm run cli -- stream --env NAME --input "text" [options]

Streams one answer. stdout: the filtered answer text as it streams (or the raw text with --raw, or the
normalized events as JSON lines with --json). stderr: progress, usage, timing and sync status.

Options:
  --env NAME            environment (\`demo\` runs the built-in simulator, no setup)
  --input TEXT          the user's message ("-" reads it from stdin)
  --scenario NAME       simulator scenario for this turn (${SCENARIOS.join(', ')})
  --raw                 print the raw text instead of the filtered text
  --json                print the events as JSON lines
  --policy FILE         filter policy (JSON); default: the environment's, else mask every type
  --speed F             demo only: simulator pacing (1 realistic, 0 as fast as possible)
  --idle-timeout S      seconds without any frame before the turn times out (default 30)
  --no-sync             do not write the answer back into the dialog
  --sync-wait S         how long to wait for the write-back before leaving it to the outbox (default 30)
  --webchat MODE        after the answer, print the bubbles Webchat v3 would show (one block each) and its
                        warnings on stderr; MODE: ${WEBCHAT_MODES.join(', ')} (endpoint: the flags the
                        endpoint's settings request answers). Socket Endpoint environments only
  --typing              Socket Endpoint: send the user's typing state (typingOn, then typingOff as the
                        input goes out), as Webchat does; off by default
  --record FILE         record the turn into a cassette (JSONL; see "replay" and "diff")
  --redact              with --record: a shareable cassette holding only filtered text
  --secret-from-env     keychain fallback: read secrets from COGNIGY_CLIENT_SECRET / COGNIGY_API_KEY

Exit codes: 0 complete, 1 other error, 2 bad arguments, 3 authentication failed, 4 rate-limited after
retries, 5 timeout, 6 incomplete answer (partial: the stream broke off; damaged: it ended, but frames
were never received or bytes could not be decoded).`;

export function exitCodeOf(status: TurnStatus, cause?: Cause): number {
  switch (status) {
    case 'complete':
      return EXIT.ok;
    case 'damaged':
      // The upstream finished, but the answer has holes: a script must not take it as whole.
      return EXIT.partial;
    case 'cancelled':
    case 'blocked':
      return EXIT.error;
    case 'partial':
    case 'failed':
      // The cause is more specific than "partial": a stall after some tokens is a timeout (5), a 1006 drop
      // after some tokens is an incomplete answer (6).
      switch (cause) {
        case 'auth':
        case 'forbidden':
          return EXIT.auth;
        case 'rate_limited':
        case 'try_again_later':
          return EXIT.rateLimited;
        case 'timeout':
          return EXIT.timeout;
        default:
          return status === 'partial' ? EXIT.partial : EXIT.error;
      }
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let s = '';
  for await (const chunk of stream) s += typeof chunk === 'string' ? chunk : (chunk).toString('utf8');
  return s;
}

export async function streamCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(
    argv,
    {
      ...SESSION_OPTIONS,
      input: { type: 'string' },
      raw: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      record: { type: 'string' },
      redact: { type: 'boolean', default: false },
      'sync-wait': { type: 'string' },
      webchat: { type: 'string' },
      typing: { type: 'boolean' },
    },
    false,
  );
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  const session = sessionOptionsFrom(values, io.env);
  const { scenario, speed } = session;
  if (values.input === undefined) throw new UsageError('--input TEXT is required');
  if (values.raw && values.json) throw new UsageError('--raw and --json cannot be combined');
  if (values.redact && !values.record) throw new UsageError('--redact only applies with --record FILE');
  const syncWait = parseNumber(values['sync-wait'], '--sync-wait', { min: 0, unit: 'seconds' }) ?? 30;
  const syncWaitMs = syncWait * 1000;
  const input = values.input === '-' ? (await readAll(io.stdin)).replace(/\r?\n$/, '') : values.input;
  if (!input) throw new UsageError('--input is empty');
  const webchat = parseWebchatOption(values.webchat);

  const setup = await setupSession({ ...session, notice: (t) => line(io.stderr, `! ${t}`) });
  const { engine } = setup;
  try {
    assertWebchatEnvironment(webchat, setup.environment);
  } catch (err) {
    await setup.close();
    throw err;
  }
  let lastChar = '';
  let recorder: SessionRecorder | undefined;
  try {
    if (values.record) {
      recorder = await startSessionRecorder({
        engine,
        path: values.record,
        environment: setup.environment,
        secrets: setup.secrets,
        overwrite: true,
        ...(values.redact ? { redact: true, policy: compilePolicy(setup.policy) } : {}),
        ...(setup.builtIn ? { scenario: scenario ?? 'happy', speed } : {}),
        onWarning: (w) => line(io.stderr, `! recording: ${w}`),
      });
    }
    const err = io.stderr;
    engine.subscribe((e) => {
      if (values.json) {
        io.stdout.write(`${JSON.stringify(e)}\n`);
      } else if ((e.type === 'raw.text' && values.raw) || (e.type === 'filtered.text' && !values.raw)) {
        if (e.text) {
          io.stdout.write(e.text);
          lastChar = e.text[e.text.length - 1] ?? lastChar;
        }
      }
      switch (e.type) {
        case 'turn.start':
          line(err, `▶ ${e.environment} (${e.upstream})${e.scenario ? ` · scenario ${e.scenario}` : ''} · request ${e.requestId}`);
          break;
        case 'error':
          line(err, e.retry
            ? `… ${e.cause}: ${e.message} — retrying in ${(e.retry.inMs / 1000).toFixed(1)} s (attempt ${e.retry.attempt + 1} of ${e.retry.of})`
            : `✗ ${e.cause}: ${e.message}\n  fallback shown to the user: "${e.fallback}"`);
          break;
        case 'frame.issue':
          line(err, `! ${e.kind}: ${e.detail}`);
          break;
        case 'filter.leak':
          line(err, `!! LEAK: ${e.detail} (filtered offset ${e.position})`);
          break;
        case 'sync':
          line(err, formatSyncEvent(e));
          break;
        case 'webchat.settings':
          line(err, formatWebchatSettings(e));
          break;
        case 'webchat.warning':
          line(err, formatWebchatWarning(e));
          break;
        default:
      }
    });
    const summary = await engine.startTurn({ input, scenario, signal: io.signal, ...(webchat ? { webchat } : {}), ...(values.typing ? { userTyping: true } : {}) });
    if (!values.json && lastChar !== '\n' && (values.raw ? summary.rawText : summary.filteredText).length > 0) io.stdout.write('\n');
    if (!values.json && summary.webchat) io.stdout.write(formatWebchatBubbles(summary.webchat.bubbles));
    line(io.stderr, formatSummary(summary, engine.totals()));
    if (summary.syncError) {
      // Not in the outbox: nothing may claim it is safe, and a script must see the failure.
      line(io.stderr, `✗ the write-back was NOT kept: ${summary.syncError}`);
      return EXIT.error;
    }
    if (summary.sync) {
      // Wait for the write-back, but not for ever: a Retry-After can be long. The job is already in the
      // durable outbox (written before the turn was reported complete) and is retried at the next start.
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const gaveUp = new Promise<'waiting'>((resolve) => {
        timer = setTimeout(() => resolve('waiting'), syncWaitMs);
        onAbort = () => resolve('waiting');
        io.signal.addEventListener('abort', onAbort, { once: true });
      });
      const outcome = await Promise.race([summary.sync, gaveUp]);
      clearTimeout(timer);
      if (onAbort) io.signal.removeEventListener('abort', onAbort);
      if (outcome !== 'synced') {
        const why = outcome !== 'waiting' ? outcome : io.signal.aborted ? 'not waited for (interrupted)' : `still pending after ${syncWaitMs / 1000} s`;
        line(io.stderr, `sync ${why}: the answer is kept in the outbox and retried on the next start (see "npm run cli -- sync list")`);
      }
    }
    return exitCodeOf(summary.status, summary.cause);
  } finally {
    recorder?.stop();
    await setup.close();
  }
}
