// Per-turn event buffers of the relay, so a client that lost its connection resumes with `Last-Event-ID`
// where it left off. An event id is `<relay instance>-<turn number>-<seq>`: seq increases within a turn,
// the turn number across turns, and the instance part keeps ids of an earlier relay process from
// resuming the wrong turn. Running turns are kept whole (their clients need them); finished ones, once no
// client reads them, within three bounds — a number of turns, a total size in bytes and an age — oldest
// first, so long answers cannot pile up in memory after every client has left.
import { randomBytes } from 'node:crypto';
import { encodeSse } from './sse-encoder';
import type { RelayEvent } from './relay-events';

export interface BufferedEvent {
  seq: number;
  id: string;
  event: RelayEvent['event'];
  chunk: string;
}

export interface TurnBuffer {
  readonly turnNo: number;
  readonly controller: AbortController;
  readonly events: BufferedEvent[];
  readonly done: boolean;
  /** Clients currently attached. */
  clients: number;
  graceTimer?: NodeJS.Timeout;
  push(ev: RelayEvent): void;
  /** No more events (after `done`). */
  finish(): void;
  /** Live events and the end; returns the unsubscribe function. */
  subscribe(onEvent: (e: BufferedEvent) => void, onEnd: () => void): () => void;
  lastSeq(): number;
}

export interface EventIdRef {
  instance: string;
  turnNo: number;
  seq: number;
}

export function parseEventId(id: string): EventIdRef | undefined {
  const m = /^([A-Za-z0-9_]+)-(\d+)-(\d+)$/.exec(id.trim());
  if (!m) return undefined;
  return { instance: m[1] as string, turnNo: Number(m[2]), seq: Number(m[3]) };
}

/** Defaults of the resume buffer's bounds (README "The relay"). */
export const RESUME_KEEP_TURNS = 32;
export const RESUME_MAX_BYTES = 16 * 2 ** 20;
export const RESUME_MAX_AGE_MS = 10 * 60_000;

export interface TurnBuffersOptions {
  /** Finished turns kept for resuming; default RESUME_KEEP_TURNS. */
  keepFinished?: number;
  /** Total size (UTF-8 bytes of their SSE) of the finished turns kept; default RESUME_MAX_BYTES. */
  maxBytes?: number;
  /** How long a finished turn stays resumable; default RESUME_MAX_AGE_MS. */
  maxAgeMs?: number;
  /** Clock for the age bound (epoch ms); default Date.now. */
  now?: () => number;
}

export function createTurnBuffers(opts: TurnBuffersOptions = {}) {
  const keep = opts.keepFinished ?? RESUME_KEEP_TURNS;
  const maxBytes = opts.maxBytes ?? RESUME_MAX_BYTES;
  const maxAgeMs = opts.maxAgeMs ?? RESUME_MAX_AGE_MS;
  const now = opts.now ?? Date.now;
  // base64url without '-' so the id stays splittable on '-'.
  const instance = randomBytes(6).toString('base64url').replace(/-/g, '_');
  const buffers = new Map<number, TurnBuffer>();
  /** Per buffer: its size in bytes and when it finished. */
  const sizes = new Map<number, number>();
  const finishedAt = new Map<number, number>();
  let nextTurn = 1;

  function drop(turnNo: number) {
    buffers.delete(turnNo);
    sizes.delete(turnNo);
    finishedAt.delete(turnNo);
  }

  /** Finished turns nobody reads, oldest first, cut to the bounds. Map order = creation order. */
  function evict() {
    const finished = [...buffers.values()].filter((b) => b.done && b.clients === 0);
    const tooOld = now() - maxAgeMs;
    let count = finished.length;
    let bytes = finished.reduce((sum, b) => sum + (sizes.get(b.turnNo) ?? 0), 0);
    for (const b of finished) {
      if (count <= keep && bytes <= maxBytes && (finishedAt.get(b.turnNo) ?? 0) >= tooOld) continue;
      count--;
      bytes -= sizes.get(b.turnNo) ?? 0;
      drop(b.turnNo);
    }
  }
  // Age is enforced even when no request comes: a sweep now and then, which never keeps the process alive.
  const sweeper = setInterval(evict, Math.max(1_000, Math.min(maxAgeMs, 60_000)));
  sweeper.unref();

  function create(): TurnBuffer {
    const turnNo = nextTurn++;
    const events: BufferedEvent[] = [];
    const subs = new Set<{ onEvent: (e: BufferedEvent) => void; onEnd: () => void }>();
    let done = false;
    const buf: TurnBuffer = {
      turnNo,
      controller: new AbortController(),
      events,
      get done() {
        return done;
      },
      clients: 0,
      push(ev) {
        if (done) return;
        const seq = events.length + 1;
        const id = `${instance}-${turnNo}-${seq}`;
        const e: BufferedEvent = { seq, id, event: ev.event, chunk: encodeSse({ id, event: ev.event, data: ev.data }) };
        events.push(e);
        sizes.set(turnNo, (sizes.get(turnNo) ?? 0) + Buffer.byteLength(e.chunk));
        for (const s of [...subs]) s.onEvent(e);
      },
      finish() {
        if (done) return;
        done = true;
        finishedAt.set(turnNo, now());
        if (buf.graceTimer) clearTimeout(buf.graceTimer);
        for (const s of [...subs]) s.onEnd();
        subs.clear();
        evict();
      },
      subscribe(onEvent, onEnd) {
        const s = { onEvent, onEnd };
        subs.add(s);
        return () => subs.delete(s);
      },
      lastSeq: () => events.length,
    };
    buffers.set(turnNo, buf);
    evict();
    return buf;
  }

  return {
    instance,
    create,
    /** The buffer an event id points into, if it is still kept. */
    lookup(id: string): { buffer: TurnBuffer; seq: number } | undefined {
      const ref = parseEventId(id);
      if (!ref || ref.instance !== instance) return undefined;
      const buffer = buffers.get(ref.turnNo);
      return buffer ? { buffer, seq: ref.seq } : undefined;
    },
    running(): TurnBuffer[] {
      return [...buffers.values()].filter((b) => !b.done);
    },
    size: () => buffers.size,
    /** Bytes held by finished turns (what the byte bound limits). */
    finishedBytes: () => [...buffers.values()].filter((b) => b.done).reduce((sum, b) => sum + (sizes.get(b.turnNo) ?? 0), 0),
    /** Applies the bounds now (also done on every new and finished turn, and periodically). */
    sweep: evict,
    /** A turn nobody reads any more (its last client left after it finished) may go now. */
    released: evict,
    dispose: () => clearInterval(sweeper),
  };
}

export type TurnBuffers = ReturnType<typeof createTurnBuffers>;
