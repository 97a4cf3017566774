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
import { createChanges, type Changes } from '../../helpers/until';

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
  /** Notified on every push: wait on a push itself with `changes.until(...)`. */
  changes: Changes;
  /** Every event the engine emitted, seen by a second subscriber next to the batcher's. */
  direct: SessionEvent[];
  call(channel: string, request: unknown, sender?: string): Promise<CallResult>;
  close(): Promise<void>;
}

export function harness(opts: { speed?: number } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'app-service-'));
  const deps = createDefaultDeps({ mode: 'browser', dataDir: dir, secrets: createMemoryStore(), demoSpeed: opts.speed ?? 0 });
  const direct: SessionEvent[] = [];
  const open = deps.openSession.bind(deps);
  deps.openSession = async (name, o) => {
    const h = await open(name, o);
    h.subscribe((e) => direct.push(e));
    return h;
  };
  const service = createAppService(deps, { isTrustedSender: createSenderPolicy({ origins: [TRUSTED] }) });
  const pushes: Harness['pushes'] = [];
  const changes = createChanges();
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
    changes,
    direct,
    call: (channel, request, sender = TRUSTED) => client.dispatch(channel, request, sender),
    async close() {
      await service.close();
      await deps.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
