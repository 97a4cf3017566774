// An in-memory DebuggerApi for component tests: the contract's schemas validate every request and response
// (as both real transports do), environments and secret status live in maps, and the test pushes events.
// The real handlers are covered in tests/core/app; here the renderer is under test.
import type { SessionEvent } from '../../shared/events';
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
}

const DEMO: EnvironmentEntry = {
  environment: { name: DEMO_ENV, kind: 'gateway', gateway: { host: '127.0.0.1', clientId: 'demo-client', dialogId: 'd', scopes: ['llm:stream'] }, model: { model: 'gpt-4-turbo', temperature: 0.7, maxTokens: 1024 } } as Environment,
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
  const status = (name: string) => ({
    'client-secret': secrets.has(`${name}/client-secret`) ? ('set' as const) : ('not set' as const),
    'api-key': secrets.has(`${name}/api-key`) ? ('set' as const) : ('not set' as const),
  });
  const entry = (e: Environment): EnvironmentEntry => ({ environment: e, builtIn: false, label: e.name, secrets: status(e.name) });
  const fail = (code: string, message: string) => {
    throw new Error(ipcErrorMessage({ code: code as 'failed', message }));
  };

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
    'renderer:env.delete': ({ name }) => (envs.delete(name), { ok: true }),
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
  };

  const api: FakeApi = {
    calls: [],
    secrets,
    sessionId: 'session-1',
    async invoke(channel, request) {
      const schema = invokeChannels[channel];
      const req = schema.request.safeParse(request);
      if (!req.success) fail('invalid-request', `${channel}: ${describeZodError(req.error)}`);
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
