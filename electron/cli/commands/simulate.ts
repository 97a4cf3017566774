// `simulate`: runs the built-in simulator as a server for users' own frontends and scripts. stdout carries
// exactly one line, `listening on http://127.0.0.1:N`, once the server is ready (scripts wait for it);
// everything for humans goes to stderr. Serves until SIGINT/SIGTERM, then closes cleanly and exits 0.
// Must never print the client secret or the API key it was given (they are made-up simulator credentials,
// the only secrets this product accepts on argv).
import { ScenarioName, SCENARIOS } from '../../../shared/scenarios';
import { WEBCHAT_PRESET_NAMES, WEBCHAT_PRESETS } from '../../../shared/webchat-presets';
import { createSimulator, SCENARIO_DOCS, SimulatorListenError } from '../../core/simulator/index';
import { cassetteAnswerSource } from '../../core/recording/cassette-answer-source';
import { readCassette } from '../../core/recording/cassette-reader';
import type { AnswerSource } from '../../core/simulator/answers';
import type { SimulatorOptions } from '../../core/simulator/types';
import { EXIT, UsageError, line, listenFailure, type CliIO } from '../cli-io';
import { HELP_OPTION, parseOptions, parsePort, parseSpeed } from '../options';

const HELP = `Usage: npm run cli -- simulate --port N --client-id ID --client-secret S --url-token T --api-key K
                            [--scenario NAME] [--speed F] [socket endpoint options]
       npm run cli -- simulate --cassette FILE [--speed F] [--port N] [credentials as above]

Runs the built-in simulator on 127.0.0.1: the Cognigy LLM gateway (OAuth, config, stream, variables), the
Socket.IO Endpoint and the management API's context inject. Prints "listening on http://127.0.0.1:N" on
stdout once ready; serves until Ctrl-C / SIGTERM.

The credentials are the ones the simulator will accept; make them up (they are not Cognigy credentials).

Options:
  --port N              port on 127.0.0.1 (0 = a free port)
  --client-id ID        OAuth client id the gateway accepts
  --client-secret S     OAuth client secret the gateway accepts (simulator only; never a real secret)
  --url-token T         Socket.IO Endpoint URL token (endpoint URL: http://127.0.0.1:N/T)
  --api-key K           management API key (X-API-Key)
  --scenario NAME       default scenario (default happy); a client picks one per turn with
                        "scenario" in the gateway request frame or data.scenario in processInput
  --speed F             pacing: 1 realistic (default), 2 twice as fast, 0 as fast as possible
Socket endpoint options (what kind of Cognigy the endpoint is):
  --transports T        any (default: polling with upgrade, and WebSocket), websocket (WebSocket only:
                        polling is refused), polling (no upgrade)
  --base-path PATH      serve the endpoint under a sub-path, as on-premise installs: Socket.IO at
                        PATH/socket.io, endpoint URL http://127.0.0.1:N/PATH/T
  --no-endpoint-ready   never send endpoint-ready (Cognigy.AI before 4.79)
  --flush-override RE   a Stream Buffer Flush Override (regex, "$" added); repeat for several; replaces
                        the defaults (numbers, titles, single capitals, "...", i.e./e.g.)
  --webchat-preset P    what the Webchat settings request (GET on the endpoint URL) answers: classic
                        (default: both flags off), modern (collateStreamedOutputs and
                        progressiveMessageRendering on), slick (collation only)
  --cassette FILE       serve the answers recorded in a cassette (matched by input, else in order) with
                        their recorded timing scaled by --speed, over both protocols: a mock upstream
                        for your frontend or bot. Port defaults to 0 and credentials to made-up ones
                        (printed on stderr) unless given.
  -h, --help            this text

Scenarios:
${SCENARIOS.map((s) => `  ${s.padEnd(16)} ${SCENARIO_DOCS[s]}`).join('\n')}`;

const OPTIONS = {
  cassette: { type: 'string' },
  port: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'url-token': { type: 'string' },
  'api-key': { type: 'string' },
  scenario: { type: 'string' },
  speed: { type: 'string' },
  transports: { type: 'string' },
  'base-path': { type: 'string' },
  'no-endpoint-ready': { type: 'boolean' },
  'flush-override': { type: 'string', multiple: true },
  'webchat-preset': { type: 'string' },
  ...HELP_OPTION,
} as const;

function required(values: Record<string, unknown>, name: string): string {
  // (values may come with defaults filled in for --cassette)
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export async function simulateCommand(argv: string[], io: CliIO): Promise<number> {
  const values: Record<string, string | boolean | string[] | undefined> = parseOptions(argv, OPTIONS).values;
  if (values.help) {
    line(io.stdout, HELP);
    return EXIT.ok;
  }
  const cassettePath = typeof values.cassette === 'string' ? values.cassette : undefined;
  // A cassette-backed mock upstream is for quick local use: port and made-up credentials get defaults.
  const mockDefaults: Record<string, string> = cassettePath
    ? { port: '0', 'client-id': 'mock-client', 'client-secret': 'mock-secret', 'url-token': 'mock', 'api-key': 'mock-key' }
    : {};
  const withDefaults = { ...mockDefaults, ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) };
  const portText = required(withDefaults, 'port');
  const port = parsePort(portText);
  const clientId = required(withDefaults, 'client-id');
  const clientSecret = required(withDefaults, 'client-secret');
  const urlToken = required(withDefaults, 'url-token');
  const apiKey = required(withDefaults, 'api-key');
  let cassette: AnswerSource | undefined;
  if (cassettePath) {
    let read;
    try {
      read = readCassette(cassettePath);
    } catch (err) {
      line(io.stderr, `error: ${(err as Error).message}`);
      return EXIT.error;
    }
    for (const w of read.warnings) line(io.stderr, `warning: ${w}`);
    // The simulator scales delays by --speed; the source keeps the recorded timing (speed 1) so it isn't scaled twice.
    cassette = cassetteAnswerSource(read);
    const turns = read.events.filter((e) => e.type === 'turn.start').length;
    line(io.stderr, `serving ${turns} recorded turn(s) from ${cassettePath}`);
    if (!values['client-secret']) line(io.stderr, `mock credentials: client id ${clientId}, client secret ${clientSecret}, URL token ${urlToken}, API key ${apiKey}`);
  }
  const scenarioText = typeof values.scenario === 'string' ? values.scenario : 'happy';
  const scenario = ScenarioName.safeParse(scenarioText);
  if (!scenario.success) throw new UsageError(`unknown scenario "${scenarioText}"; valid scenarios: ${SCENARIOS.join(', ')}`);
  const speed = parseSpeed(typeof values.speed === 'string' ? values.speed : undefined) ?? 1;
  const endpoint = socketEndpointOptions(values);
  if (io.signal.aborted) return EXIT.ok;

  let sim;
  try {
    sim = await createSimulator({ port, clientId, clientSecret, urlToken, apiKey, scenario: scenario.data, speed, ...endpoint, ...(cassette ? { cassette } : {}) });
  } catch (err) {
    if (err instanceof SimulatorListenError) {
      line(io.stderr, `error: ${listenFailure(err, port) ?? err.message}`);
      return EXIT.error;
    }
    // Bad socket endpoint options (an invalid flush override, a bad base path) are the user's to fix.
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  line(io.stderr, 'note: these are simulator credentials, accepted only by this local simulator; never pass a real secret on the command line.');
  line(
    io.stderr,
    [
      `gateway:          ${sim.url}  (OAuth /api/v2/oauth/token, stream ws://127.0.0.1:${sim.port}/api/v2/llm/stream)`,
      `socket endpoint:  ${sim.url}${endpoint.endpointBasePath ?? ''}/${encodeURIComponent(urlToken)}  (Socket.IO path ${sim.socketPath}; transports ${endpoint.socketTransports ?? 'any'}${endpoint.sendEndpointReady === false ? '; no endpoint-ready' : ''})`,
      `management API:   ${sim.url}/new/v2.0/...`,
      `scenario:         ${scenario.data} (per turn: "scenario" in the request frame / data.scenario); speed ${speed}`,
    ].join('\n'),
  );
  line(io.stdout, `listening on ${sim.url}`);

  await new Promise<void>((resolve) => {
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  line(io.stderr, 'stopping the simulator…');
  await sim.close();
  return EXIT.ok;
}

function socketEndpointOptions(values: Record<string, unknown>): Partial<SimulatorOptions> {
  const o: Partial<SimulatorOptions> = {};
  const transports = values.transports;
  if (transports !== undefined) {
    if (transports !== 'any' && transports !== 'websocket' && transports !== 'polling') throw new UsageError(`--transports must be any, websocket or polling, got ${JSON.stringify(transports)}`);
    o.socketTransports = transports;
  }
  if (typeof values['base-path'] === 'string') o.endpointBasePath = values['base-path'];
  if (values['no-endpoint-ready'] === true) o.sendEndpointReady = false;
  if (Array.isArray(values['flush-override'])) o.flushOverrides = values['flush-override'] as string[];
  const preset = values['webchat-preset'];
  if (preset !== undefined) {
    const name = WEBCHAT_PRESET_NAMES.find((n) => n === preset);
    if (!name) throw new UsageError(`--webchat-preset must be ${WEBCHAT_PRESET_NAMES.join(', ')}, got ${JSON.stringify(preset)}`);
    o.webchatSettings = { ...WEBCHAT_PRESETS[name] };
  }
  return o;
}
