// An in-memory DebuggerApi for component tests: the contract's schemas validate every request and response
// (as both real transports do), environments and secret status live in maps, and the test pushes events.
// The real handlers are covered in tests/core/app; here the renderer is under test.
import type { SessionEvent } from '../../shared/events';
import type { CassetteDiffData, RecordedTurn, RecordingEntry } from '../../shared/recordings-ipc';
import { DEMO_ENV, type Environment, type SecretKind } from '../../shared/environment';
import {
  describeZodError,
  invokeChannels,
  ipcErrorMessage,
  type ConnectionReport,
  type DebuggerApi,
  type EnvironmentEntry,
  type InvokeChannel,
  type PushChannel,
  type PushPayload,
  type Settings,
} from '../../shared/ipc';

export interface FakeApi extends DebuggerApi {
  calls: Array<{ channel: InvokeChannel; request: unknown }>;
  /** Secret values the "main side" received (the test checks they never come back). */
  secrets: Map<string, string>;
  push<C extends PushChannel>(channel: C, payload: PushPayload<C>): void;
  emit(events: SessionEvent[]): void;
  report?: ConnectionReport;
  sessionId: string;
  /** Recordings "main side" holds: entry and file text by id. */
  recordings: Map<string, { entry: RecordingEntry; content: string; turns: RecordedTurn[] }>;
  /** What the next recordings.diff answers. */
  diff?: CassetteDiffData;
}

export function fakeRecording(id: string, turns = 1, content = '{"format":"x"}\n'): { entry: RecordingEntry; content: string; turns: RecordedTurn[] } {
  const recorded: RecordedTurn[] = Array.from({ length: turns }, (_, i) => ({
    index: i,
    turnId: `t${i}`,
    input: `input ${i}`,
    status: 'complete',
    rawText: `raw <b>${i}</b> 4111 1111 1111 1111`,
    filteredText: `filtered ${i} [card]`,
    tokens: 5,
    hits: [],
    ttftMs: 100,
    durationMs: 400,
    totalTokens: 42,
  }));
  return {
    entry: { id, name: id.replace(/\.jsonl$/, ''), createdAt: '2026-01-02T03:04:05.000Z', turns, size: content.length, redacted: false, recording: false, environment: 'demo' },
    content,
    turns: recorded,
  };
}

const DEMO: EnvironmentEntry = {
  environment: { name: DEMO_ENV, kind: 'gateway', gateway: { host: '127.0.0.1', clientId: 'demo-client', dialogId: 'd', scopes: ['llm:stream'] }, model: { model: 'gpt-4-turbo', temperature: 0.7, maxTokens: 1024 } },
  builtIn: true,
  label: 'Demo (built-in simulator)',
  secrets: { 'client-secret': 'set', 'api-key': 'set' },
};

export function createFakeApi(): FakeApi {
  const envs = new Map<string, Environment>();
  const secrets = new Map<string, string>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let settings: Settings = { fallbacks: { timeout: 't', rateLimited: 'r', contentFiltered: 'c', generic: 'g' }, stallThresholdMs: 500, showTokenBoundaries: true };
  let batch = 0;
  let turn = 0;
  let relay: { running: boolean; url?: string; environment?: string } = { running: false };
  const status = (name: string) => ({
    'client-secret': secrets.has(`${name}/client-secret`) ? ('set' as const) : ('not set' as const),
    'api-key': secrets.has(`${name}/api-key`) ? ('set' as const) : ('not set' as const),
  });
  const entry = (e: Environment): EnvironmentEntry => ({ environment: e, builtIn: false, label: e.name, secrets: status(e.name) });
  const fail = (code: string, message: string): never => {
    throw new Error(ipcErrorMessage({ code: code as 'failed', message }));
  };

  const qaOnly = () => fail('failed', 'QA needs the real app service');
  // Requests arrive parsed by the contract; each handler reads the fields of its channel.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const handlers: Record<InvokeChannel, (r: any) => unknown> = {
    'renderer:app.info': () => ({ version: '0.0.0-test', mode: 'browser', dataDir: '/tmp/data', keychain: { available: true, store: 'keychain' } }),
    'renderer:env.list': () => ({ environments: [DEMO, ...[...envs.values()].map(entry)] }),
    'renderer:env.save': ({ environment, previousName }) => {
      if (previousName && previousName !== environment.name) envs.delete(previousName);
      else if (!previousName && envs.has(environment.name)) fail('conflict', `an environment named "${environment.name}" already exists`);
      envs.set(environment.name, environment);
      return { entry: entry(environment) };
    },
    'renderer:env.duplicate': ({ name, newName }) => {
      const e = { ...envs.get(name)!, name: newName };
      envs.set(newName, e);
      return { entry: entry(e) };
    },
    'renderer:env.delete': ({ name }) => (envs.delete(name), { ok: true, secretsKept: [] }),
    'renderer:env.setSecret': ({ name, kind, value }: { name: string; kind: SecretKind; value: string }) => (secrets.set(`${name}/${kind}`, value), { secrets: status(name) }),
    'renderer:env.clearSecret': ({ name, kind }) => (secrets.delete(`${name}/${kind}`), { secrets: status(name) }),
    'renderer:env.test': () => api.report ?? { ok: true, upstream: 'gateway', lines: ['ok'] },
    'renderer:session.open': ({ environment }) => ({ sessionId: api.sessionId, environment, upstream: 'gateway' }),
    'renderer:session.close': () => ({ ok: true }),
    'renderer:turn.start': () => ({ turnId: `turn-${++turn}` }),
    'renderer:turn.cancel': () => ({ ok: true }),
    'renderer:sync.retry': () => ({ ok: true }),
    'renderer:settings.get': () => settings,
    'renderer:settings.set': (s) => ((settings = s), s),
    'renderer:recording.start': ({ sessionId }) => {
      if (sessionId !== api.sessionId) fail('not-found', `no open session "${sessionId}"`);
      const id = `demo-rec-${api.recordings.size + 1}.jsonl`;
      api.recordings.set(id, { ...fakeRecording(id, 0), entry: { ...fakeRecording(id, 0).entry, recording: true } });
      return { id, name: id.replace('.jsonl', '') };
    },
    'renderer:recording.stop': () => {
      const r = [...api.recordings.values()].find((x) => x.entry.recording);
      if (!r) return {};
      r.entry = { ...r.entry, recording: false, turns: 1 };
      return { entry: r.entry };
    },
    'renderer:recordings.list': () => ({ recordings: [...api.recordings.values()].map((r) => r.entry) }),
    'renderer:recordings.open': ({ id }) => {
      const r = api.recordings.get(id) ?? fail('not-found', `no recording "${id}"`);
      return { entry: r.entry, turns: r.turns, warnings: [] };
    },
    'renderer:recordings.rename': ({ id, name }) => {
      const r = api.recordings.get(id) ?? fail('not-found', `no recording "${id}"`);
      const next = `${name}.jsonl`;
      if (api.recordings.has(next)) fail('conflict', `a recording named "${name}" already exists`);
      api.recordings.delete(id);
      r.entry = { ...r.entry, id: next, name };
      api.recordings.set(next, r);
      return { entry: r.entry };
    },
    'renderer:recordings.delete': ({ id }) => (api.recordings.delete(id) || fail('not-found', `no recording "${id}"`), { ok: true }),
    'renderer:recordings.export': ({ id }) => ({ fileName: id, content: (api.recordings.get(id) ?? fail('not-found', id)).content }),
    'renderer:recordings.import': ({ fileName, content }) => {
      if (!content.startsWith('{"format"')) fail('invalid-request', `cannot import: ${fileName}: line 1: not a cassette header`);
      const r = fakeRecording(fileName, 1, content);
      api.recordings.set(fileName, r);
      return { entry: r.entry, warnings: [] };
    },
    'renderer:recordings.diff': ({ a, b }) => ({
      a: (api.recordings.get(a) ?? fail('not-found', a)).entry,
      b: (api.recordings.get(b) ?? fail('not-found', b)).entry,
      diff: api.diff ?? { same: true, headerChanges: [], turnCount: { a: 0, b: 0 }, turns: [], notes: [] },
    }),
    'renderer:relay.start': ({ environment }) => ((relay = { running: true, url: 'http://127.0.0.1:43210', environment }), relay),
    'renderer:relay.stop': () => ((relay = { running: false }), relay),
    'renderer:relay.status': () => relay,
    'renderer:tap.start': () => ({ running: false, connections: [], error: 'the tap needs the real app service' }),
    'renderer:tap.stop': () => ({ running: false, connections: [] }),
    'renderer:tap.status': () => ({ running: false, connections: [] }),
    'renderer:tap.watch': () => {
      throw new Error('[not-found] no tapped connection in the fake API');
    },
    // QA runs on the real core only (tests/core/app/qa-handlers.test.ts, tests/e2e/qa.test.ts): empty lists here.
    'renderer:dialogs.list': () => ({ dialogs: [] }),
    'renderer:qa.jobs': () => ({ jobs: [] }),
    'renderer:dialogs.read': qaOnly,
    'renderer:dialogs.check': qaOnly,
    'renderer:dialogs.save': qaOnly,
    'renderer:dialogs.delete': qaOnly,
    'renderer:dialogs.record': qaOnly,
    'renderer:replay.start': qaOnly,
    'renderer:replay.turnDiff': qaOnly,
    'renderer:replay.junit': qaOnly,
    'renderer:replay.history': qaOnly,
    'renderer:assertions.read': qaOnly,
    'renderer:assertions.check': qaOnly,
    'renderer:assertions.save': qaOnly,
    'renderer:compare.start': qaOnly,
    'renderer:compare.events': qaOnly,
    'renderer:qa.job': qaOnly,
    'renderer:qa.cancel': qaOnly,
  };

  const api: FakeApi = {
    calls: [],
    secrets,
    recordings: new Map(),
    sessionId: 'session-1',
    async invoke(channel, request) {
      const schema = invokeChannels[channel];
      const req = schema.request.safeParse(request);
      if (!req.success) fail('invalid-request', describeZodError(req.error));
      api.calls.push({ channel, request: req.data });
      const res = schema.response.parse(await handlers[channel](req.data));
      return res as never;
    },
    on(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    push(channel, payload) {
      for (const l of listeners.get(channel) ?? []) l(payload);
    },
    emit(events) {
      api.push('main:session.events', { sessionId: api.sessionId, batch: batch++, events });
    },
  };
  return api;
}
