// `tap`: sits between a developer's own frontend (their Webchat embed, a custom socket client) and the
// Cognigy Socket Endpoint, passes the traffic through and shows every connection as a debugger session.
// stdout: one line, `tap listening on http://127.0.0.1:N/<URLToken>` (the URL to put into the frontend),
// or with --json only JSONL events (never the URL token); stderr: one line per connection and per turn.
// Serves until SIGINT/SIGTERM.
import type { SessionEvent } from '../../../shared/events';
import { SCENARIOS } from '../../../shared/scenarios';
import { configDir } from '../../core/environments/config-dir';
import { compilePolicy } from '../../core/filters';
import { abbreviateToken } from '../../core/secrets/abbreviate';
import { environmentForUpstream, openTapEnvironment, startTap, type TapEnvironment } from '../../core/tap/tap-service';
import type { TapTransport } from '../../core/tap/tap-proxy';
import { EXIT, UsageError, line, listenFailure, type CliIO } from '../cli-io';
import { parseOptions, parsePort, parseSeconds, parseSpeed } from '../options';
import { parseScenario } from '../scenario-option';
import { formatWebchatWarning, parseWebchatOption } from '../webchat-report';
import { loadPolicy } from '../policy-option';

const HELP = `Usage: npm run cli -- tap --port N (--env NAME | --upstream URL) [--record DIR] [--enforce-policy [FILE]] [--json]

Sits between your own frontend (your Webchat embed, a custom socket client) and the Cognigy Socket
Endpoint, on this machine. Put the printed URL into your frontend instead of Cognigy's endpoint URL:
every event and ack passes through unchanged, and every connection becomes a debugger session (raw vs
filtered text, structured outputs, timing, usage).

Options:
  --port N                 port on 127.0.0.1 (0 = a free port)
  --env NAME               a socket-endpoint environment (\`demo\`: the built-in simulator plays Cognigy);
                           only its settings are read, the keychain is never touched
  --upstream URL           or the endpoint URL itself: https://endpoint-<env>.cognigy.ai/<URLToken>
  --record DIR             one cassette per connection in DIR (replay and simulate --cassette read them)
  --enforce-policy [FILE]  your frontend receives the filtered stream (PII masked across chunks, the
                           policy's actions applied); FILE is the policy (default: --policy, else mask all)
  --policy FILE            filter policy for the sessions (JSON); default: the environment's, else mask all
  --json                   every session event as JSONL on stdout, with its "connection"
  --webchat MODE           Webchat preview of each turn: classic, modern, slick, or endpoint (default:
                           the endpoint's own settings); what Webchat would drop is reported per turn
  --transport T            towards the upstream: websocket (default) or polling (with upgrade)
  --idle-timeout S         seconds without output before a tapped turn counts as stalled (default 30)
  --scenario NAME          demo: default scenario (${SCENARIOS.join(', ')})
  --speed F                demo: simulator pacing (1 realistic, 0 as fast as possible)

Safety: binds 127.0.0.1 only, answers only its own Host name, connects only to the one upstream.`;

/** `--enforce-policy` takes an optional value, which parseArgs cannot express: split it off first. */
function takeEnforcePolicy(argv: string[]): { argv: string[]; enforce: boolean; file?: string } {
  const rest: string[] = [];
  let enforce = false;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--enforce-policy') {
      enforce = true;
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-')) file = argv[++i];
    } else if (a.startsWith('--enforce-policy=')) {
      enforce = true;
      file = a.slice('--enforce-policy='.length) || undefined;
    } else rest.push(a);
  }
  return { argv: rest, enforce, ...(file ? { file } : {}) };
}

function parseTransport(v: string | undefined): TapTransport[] | undefined {
  if (v === undefined) return undefined;
  if (v === 'websocket') return ['websocket'];
  if (v === 'polling') return ['polling', 'websocket'];
  throw new UsageError(`--transport must be websocket or polling, got "${v}"`);
}

export async function tapCommand(argvIn: string[], io: CliIO): Promise<number> {
  const enforce = takeEnforcePolicy(argvIn);
  const { values } = parseOptions(
    enforce.argv,
    {
      port: { type: 'string' },
      env: { type: 'string' },
      upstream: { type: 'string' },
      record: { type: 'string' },
      policy: { type: 'string' },
      json: { type: 'boolean', default: false },
      transport: { type: 'string' },
      webchat: { type: 'string' },
      'idle-timeout': { type: 'string' },
      scenario: { type: 'string' },
      speed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    false,
  );
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  if (values.port === undefined) throw new UsageError('--port N is required (0 = a free port)');
  const port = parsePort(values.port);
  if (!values.env === !values.upstream) throw new UsageError('give exactly one of --env NAME (a socket-endpoint environment, or demo) and --upstream URL');
  const idleTimeoutMs = parseSeconds(values['idle-timeout'], '--idle-timeout');
  const transports = parseTransport(values.transport);
  const webchat = parseWebchatOption(values.webchat);
  const scenario = parseScenario(values.scenario);
  const speed = parseSpeed(values.speed);

  let target: TapEnvironment;
  try {
    target = values.env
      ? await openTapEnvironment(values.env, { dataDir: configDir(io.env), ...(scenario ? { scenario } : {}), ...(speed !== undefined ? { speed } : {}) })
      : { environment: environmentForUpstream(values.upstream as string), builtIn: false, close: async () => undefined };
  } catch (err) {
    // An unknown environment, one of another kind, a malformed --upstream: all a matter of the arguments.
    throw err instanceof UsageError ? err : new UsageError((err as Error).message);
  }
  try {
    const policy = await loadPolicy(enforce.file ?? values.policy ?? target.environment.policyPath);
    const compiled = compilePolicy(policy);
    let connections = 0;
    const label = new Map<string, string>();
    let tap;
    try {
      tap = await startTap({
        port,
        environment: target.environment,
        compiled,
        enforce: enforce.enforce,
        ...(values.record ? { recordDir: values.record } : {}),
        ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}),
        ...(transports ? { transports } : {}),
        ...(webchat ? { webchat } : {}),
        onNotice: (t) => line(io.stderr, t),
        onRefused: (d) => line(io.stderr, `a frontend was refused: ${d}`),
        onSession(s, path) {
          const name = `c${++connections}`;
          label.set(s.info.id, name);
          const who = [s.info.query.userId && `user ${s.info.query.userId}`, s.info.query.sessionId && `session ${s.info.query.sessionId}`].filter(Boolean).join(', ');
          line(io.stderr, `[${name}] connected${who ? ` (${who})` : ''}${path ? `, recording to ${path}` : ''}`);
          let turn = 0;
          const hits = new Map<string, number>();
          s.engine.subscribe((e: SessionEvent) => {
            if (values.json) io.stdout.write(`${JSON.stringify({ connection: name, ...e })}\n`);
            if (e.type === 'filtered.text') for (const h of e.hits) hits.set(h.type, (hits.get(h.type) ?? 0) + 1);
            if (e.type === 'webchat.warning') line(io.stderr, `[${name}] ${formatWebchatWarning(e)}`);
            if (e.type === 'turn.start') {
              turn++;
              hits.clear();
            }
            if (e.type === 'turn.end') {
              const found = [...hits].map(([t, n]) => `${n} ${t}`).join(', ');
              line(io.stderr, `[${name}] turn ${turn}: ${e.status}${e.cause ? ` (${e.cause})` : ''}, ${e.rawLength} chars, ${e.tokenCount} chunks${e.ttftMs !== undefined ? `, first output after ${Math.round(e.ttftMs)} ms` : ''}${found ? `; PII: ${found}` : ''}`);
            }
          });
          void s.ended.then(({ by, reason }) => line(io.stderr, `[${name}] closed by the ${by} (${reason})`));
        },
      });
    } catch (err) {
      const problem = listenFailure(err, port);
      if (problem) {
        line(io.stderr, `error: ${problem}`);
        return EXIT.error;
      }
      throw err;
    }
    const endpoint = target.environment.socketEndpoint;
    const shown = tap.proxy.url.replace(encodeURIComponent(endpoint.urlToken), abbreviateToken(endpoint.urlToken));
    // stdout is the product: the URL for the frontend, or with --json the events only. The URL token of a
    // real endpoint stays out of --json runs (whose stderr ends up in CI logs); the demo's is made up per run.
    if (!values.json) line(io.stdout, `tap listening on ${tap.proxy.url}`);
    else line(io.stderr, `tap listening on ${target.builtIn ? tap.proxy.url : `${shown} (your endpoint's URL token in place of ${abbreviateToken(endpoint.urlToken)})`}`);
    line(io.stderr, `upstream ${tap.proxy.upstreamLabel}${target.builtIn ? ' (demo: the built-in simulator plays Cognigy)' : ''}; ${enforce.enforce ? 'the frontend receives the FILTERED stream (--enforce-policy)' : 'traffic passes through unchanged'}`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    line(io.stderr, 'tap stopping');
    await tap.close();
    return EXIT.ok;
  } finally {
    await target.close();
  }
}
