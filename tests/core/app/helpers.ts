// Real app service over real deps in a temp data dir: the environment store on disk, a memory secret store
// (the keychain is covered by the e2e tests under gnome-keyring), the demo simulator in-process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent } from '../../../shared/events';
import type { PushChannel, PushPayload } from '../../../shared/ipc';
import { createAppService, type AppClient, type AppService } from '../../../electron/core/app/app-service';
import { createDefaultDeps, type DefaultDeps } from '../../../electron/core/app/default-deps';
import { createSenderPolicy } from '../../../electron/core/app/sender-policy';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';
import { createChanges } from '../../helpers/until';

export const TRUSTED = 'http://127.0.0.1:4000/';

// Responses are checked field by field in the tests; their exact type is the contract's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CallResult = { ok: boolean; response?: any; error?: { code: string; message: string } };

export interface Harness {
  dir: string;
  deps: DefaultDeps;
  service: AppService;
  client: AppClient;
  pushes: Array<{ channel: PushChannel; payload: unknown }>;
  /** Every event the engine emitted, seen by a second subscriber next to the batcher's. */
  direct: SessionEvent[];
  call(channel: string, request: unknown, sender?: string): Promise<CallResult>;
  /** Resolves with the first truthy `check()`, re-checked on every push and every engine event (no polling). */
  until<T>(check: () => T | undefined | null | false, what: string, ms?: number): Promise<T>;
  close(): Promise<void>;
}

export function harness(opts: { speed?: number } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'app-service-'));
  const deps = createDefaultDeps({ mode: 'browser', dataDir: dir, secrets: createMemoryStore(), demoSpeed: opts.speed ?? 0 });
  const direct: SessionEvent[] = [];
  const changes = createChanges();
  const open = deps.openSession.bind(deps);
  deps.openSession = async (name, o) => {
    const h = await open(name, o);
    h.engine.subscribe((e) => {
      direct.push(e);
      changes.notify();
    });
    return h;
  };
  const service = createAppService(deps, { isTrustedSender: createSenderPolicy({ origins: [TRUSTED] }) });
  const pushes: Harness['pushes'] = [];
  const client = service.connect({
    push<C extends PushChannel>(channel: C, payload: PushPayload<C>) {
      pushes.push({ channel, payload });
      changes.notify();
    },
  });
  return {
    dir,
    deps,
    service,
    client,
    pushes,
    direct,
    call: (channel, request, sender = TRUSTED) => client.dispatch(channel, request, sender),
    until: (check, what, ms) => changes.until(check, what, ms),
    async close() {
      await service.close();
      await deps.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

