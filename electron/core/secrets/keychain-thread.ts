// Every OS keychain call of this process, on one worker thread of its own. @napi-rs/keyring talks to the
// keychain synchronously on the calling thread even through its "async" API: on Linux constructing an entry
// opens a D-Bus connection and a Secret Service session (5 ms median, 9 ms max measured; a daemon that does
// not answer holds the thread until the library gives up, about 2 s here). On the engine's thread — the app's main
// process — that stalled streams and IPC, and reading the status of every environment at once queued one
// such block after the other. Here the calling thread only posts a message and waits for the answer; the
// worker makes the calls one at a time, so this process never opens two sessions at once either.
// Secrets cross only this process's own thread boundary, never a log.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What to do with one entry; a call names the entry too. */
export type KeychainOp = { op: 'get' } | { op: 'set'; value: string } | { op: 'delete' };
export type KeychainCall = KeychainOp & { service: string; account: string };

type Answer = { id: number; ok: true; result: string | boolean | null } | { id: number; ok: false; messages: string[] };

/**
 * The worker (CommonJS, evaluated): the library's synchronous Entry, one call per message, in order. It names
 * `require` without a parenthesis after it: electron-vite adds a CommonJS shim to any chunk whose text has one
 * and, finding a false import in a string of the bundle, put it inside that string.
 */
const WORKER_SOURCE = `
const load = require;
const { parentPort, workerData } = load('node:worker_threads');
const { Entry } = load(workerData.keyring);
parentPort.on('message', (m) => {
  try {
    const e = new Entry(m.service, m.account, workerData.options);
    const result = m.op === 'get' ? e.getPassword() : m.op === 'set' ? (e.setPassword(m.value), null) : e.deleteCredential();
    parentPort.postMessage({ id: m.id, ok: true, result: result === undefined ? null : result });
  } catch (err) {
    const messages = [];
    for (let x = err, i = 0; x && i < 5; x = x.cause, i++) messages.push(x instanceof Error ? x.message : String(x));
    parentPort.postMessage({ id: m.id, ok: false, messages });
  }
});
`;

/** The error as the library threw it, cause chain included (the classification reads all of it). */
function rebuild(messages: string[]): Error {
  let err: Error | undefined;
  for (let i = messages.length - 1; i >= 0; i--) err = new Error(messages[i], err ? { cause: err } : undefined);
  return err ?? new Error('the keychain call failed without a message');
}

export interface KeychainThread {
  call(c: KeychainCall): Promise<string | boolean | null>;
}

/** `options`: the library's entry options (e.g. which Linux store), the same for every call. */
export function createKeychainThread(options: object): KeychainThread {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: string | boolean | null) => void; reject: (e: Error) => void }>();

  function start(): Worker {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { keyring: createRequire(import.meta.url).resolve('@napi-rs/keyring'), options } });
    // Idle, the thread keeps nothing alive: the process exits as it would without it.
    w.unref();
    w.on('message', (a: Answer) => {
      const p = pending.get(a.id);
      if (!p) return;
      pending.delete(a.id);
      if (pending.size === 0) w.unref();
      if (a.ok) p.resolve(a.result);
      else p.reject(rebuild(a.messages));
    });
    const fail = (err: Error) => {
      if (worker === w) worker = undefined;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    w.on('error', (err) => fail(new Error(`the keychain thread failed: ${err.message}`, { cause: err })));
    w.on('exit', (code) => fail(new Error(`the keychain thread stopped (exit code ${code})`)));
    return w;
  }

  return {
    call(c) {
      worker ??= start();
      const w = worker;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Busy, it keeps the process alive until the answer is in.
        w.ref();
        w.postMessage({ id, ...c });
      });
    },
  };
}
