// `sync`: the durable outbox of answers not yet written back into their dialog or session — list what is
// waiting (and why), send it now, or drop a job for good. The same outbox the app and `stream` use.
import type { SyncEvent } from '../../../shared/events';
import { configDir } from '../../core/environments/config-dir';
import { createMemoryStore } from '../../core/secrets/memory-store';
import { createDeferredStore, resolveSecretStore } from '../../core/secrets/resolve-secret-store';
import type { SecretStore } from '../../core/secrets/secret-store';
import { createUserSyncService } from '../../core/session/open-session';
import { EXIT, UsageError, line, type CliIO } from '../cli-io';
import { parseOptions } from '../options';
import { formatSyncEvent } from '../turn-report';

const HELP = `Usage: npm run cli -- sync list [--json]
       npm run cli -- sync retry [ID] [--secret-from-env]
       npm run cli -- sync discard ID

The outbox holds answers whose write-back (gateway dialog variables or socket-endpoint context inject)
has not gone through yet; they are retried at every start. "list" shows them, "retry" sends every pending
job (or one, pending or failed) now and waits for the outcome, "discard" drops one for good.

Exit codes: 0 done (retry: everything synced), 1 a job could not be synced, 2 bad arguments.`;

const ago = (iso: string) => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

export async function syncCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    {
      json: { type: 'boolean', default: false },
      'secret-from-env': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    true,
  );
  const [action, id, ...extra] = positionals;
  if (values.help || !action) {
    line(values.help ? io.stdout : io.stderr, HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!['list', 'retry', 'discard'].includes(action)) throw new UsageError(`unknown action "${action}": use list, retry or discard`);
  if (action === 'discard' && !id) throw new UsageError('discard needs the job id (see "sync list")');

  const dataDir = configDir(io.env);
  // Listing and discarding send nothing, so they need no secret (and work without a keychain). Retrying
  // opens the keychain only once the arguments are known to be right (the job id exists).
  let keychain: SecretStore | undefined;
  const openKeychain = async () => (keychain ??= await resolveSecretStore({ allowEnvFallback: values['secret-from-env'], env: io.env }));
  const secrets = action === 'retry' ? createDeferredStore(openKeychain) : createMemoryStore();
  // Looking (list, discard) does not wait half a minute on another process's lock: it says who holds it.
  const lockTimeoutMs = action === 'retry' ? undefined : 5_000;
  const sync = createUserSyncService({ dataDir, secrets, lockTimeoutMs, notice: (t) => line(io.stderr, `! ${t}`) });
  try {
    const { pending, failed } = await sync.list();
    if (action === 'list') {
      if (values.json) {
        line(io.stdout, JSON.stringify({ pending, failed }));
        return EXIT.ok;
      }
      if (!pending.length && !failed.length) {
        line(io.stdout, `the outbox is empty (${dataDir}/outbox.json)`);
        return EXIT.ok;
      }
      for (const j of pending) {
        const next = j.nextAttemptAt && j.nextAttemptAt > Date.now() ? ` · next try in ${Math.ceil((j.nextAttemptAt - Date.now()) / 1000)} s` : '';
        line(io.stdout, `pending  ${j.id}  ${j.target} · ${j.environment} · turn ${j.turnId} · ${j.attempts} attempt(s) · queued ${ago(j.createdAt)}${next}${j.lastError ? `\n         last error: ${j.lastError}` : ''}`);
      }
      for (const j of failed) line(io.stdout, `failed   ${j.id}  ${j.target} · ${j.environment} · turn ${j.turnId} · ${j.cause}${j.status ? ` (HTTP ${j.status})` : ''} · ${ago(j.failedAt)}${j.lastError ? `\n         ${j.lastError}` : ''}`);
      return EXIT.ok;
    }
    if (action === 'discard') {
      const gone = await sync.discard(id!);
      if (!gone) throw new UsageError(`no sync job "${id}" in the outbox (see "sync list")`);
      line(io.stderr, `discarded ${id}: it will not be sent`);
      return EXIT.ok;
    }
    // retry
    const outcomes = new Map<string, SyncEvent['state']>();
    sync.subscribe((e) => {
      line(io.stderr, `${e.syncId}: ${formatSyncEvent(e)}`);
      outcomes.set(e.syncId, e.state);
    });
    if (id) {
      if (!pending.some((j) => j.id === id) && !failed.some((j) => j.id === id)) throw new UsageError(`no sync job "${id}" in the outbox (see "sync list")`);
      await openKeychain();
      await sync.retryNow(id);
    } else {
      if (!pending.length) {
        line(io.stderr, 'nothing pending');
        return EXIT.ok;
      }
      await openKeychain();
      await sync.resumePending();
    }
    const left = (await sync.list()).pending.filter((j) => !id || j.id === id);
    const failedNow = [...outcomes.values()].some((s) => s === 'failed');
    return left.length || failedNow ? EXIT.error : EXIT.ok;
  } finally {
    await sync.close();
  }
}
