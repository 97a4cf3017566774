// `relay`: a local SSE relay of the filtered stream for a developer's own frontend. stdout carries exactly
// one line, `relay listening on http://127.0.0.1:N`, once ready; one line per turn goes to stderr. Turns run
// one at a time in one session (a dialog), in arrival order. Serves until SIGINT/SIGTERM.
import { SCENARIOS } from '../../../shared/scenarios';
import { fallbackFor } from '../../core/fallbacks';
import { DEFAULT_ORIGINS } from '../../core/relay/origins';
import { createEngineTurnRunner } from '../../core/relay/engine-runner';
import { createRelayServer } from '../../core/relay/relay-server';
import { EXIT, UsageError, line, listenFailure, type CliIO } from '../cli-io';
import { sessionOptionsFrom, setupSession } from '../session-setup';
import { parseOptions, parsePort, parseSeconds, SESSION_OPTIONS } from '../options';


const HELP = `Usage: npm run cli -- relay --port N --env NAME [--origin URL]... [options]

Serves the filtered stream of turns as Server-Sent Events on 127.0.0.1:
  GET  /stream?input=<text>[&scenario=<name>]     (works with a browser EventSource)
  POST /turns  {"input": "...", "scenario": "..."} (Content-Type: application/json)
Events: "token" {"text": released filtered text}, "usage", "error" {cause, message, fallback}, then
"done" {status}. Every event has an id; a client that reconnects with Last-Event-ID resumes the turn.
The concatenated token texts equal what \`stream\` prints for the same input.

Options:
  --port N              port on 127.0.0.1 (0 = a free port)
  --env NAME            environment (\`demo\` runs the built-in simulator, no setup)
  --origin URL          allow this browser origin (repeatable; :* = any port). Default:
                        ${DEFAULT_ORIGINS.join(', ')}
  --scenario NAME       demo: default scenario (${SCENARIOS.join(', ')})
  --speed F             demo: simulator pacing (1 realistic, 0 as fast as possible)
  --heartbeat S         seconds between comment heartbeats (default 15)
  --policy FILE         filter policy (JSON); default: the environment's, else mask every type
  --no-sync             do not write the answers back into the dialog
  --secret-from-env     keychain fallback: read secrets from COGNIGY_CLIENT_SECRET / COGNIGY_API_KEY`;

export async function relayCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(
    argv,
    {
      ...SESSION_OPTIONS,
      port: { type: 'string' },
      origin: { type: 'string', multiple: true },
      heartbeat: { type: 'string' },
    },
    false,
  );
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  if (values.port === undefined) throw new UsageError('--port N is required (0 = a free port)');
  const session = sessionOptionsFrom(values, io.env);
  const port = parsePort(values.port);
  const heartbeatMs = parseSeconds(values.heartbeat, '--heartbeat');
  const origins = values.origin ?? [];

  const setup = await setupSession(session);
  try {
    const runTurn = createEngineTurnRunner(setup.engine);
    let relay;
    try {
      relay = await createRelayServer({
        runTurn,
        port,
        origins,
        ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
        scenarios: setup.builtIn ? SCENARIOS : undefined,
        // The relay's own errors show the same fallbacks as its turns: the user's settings.
        fallbackFor: (cause) => fallbackFor(cause, setup.fallbacks),
        log: (l) => line(io.stderr, l),
      });
    } catch (err) {
      const problem = listenFailure(err, port);
      if (problem) {
        line(io.stderr, `error: ${problem}`);
        return EXIT.error;
      }
      throw new UsageError((err as Error).message);
    }
    line(io.stdout, `relay listening on ${relay.url}`);
    line(io.stderr, `environment ${setup.environment.name} (${setup.environment.kind}); allowed origins: ${(origins.length ? origins : DEFAULT_ORIGINS).join(', ')}`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    line(io.stderr, 'relay stopping');
    await relay.close();
    return EXIT.ok;
  } finally {
    await setup.close();
  }
}
