// Per-turn event buffers of the relay, so a client that lost its connection resumes with `Last-Event-ID`
// where it left off. An event id is `<relay instance>-<turn number>-<seq>`: seq increases within a turn,
// the turn number across turns, and the instance part keeps ids of an earlier relay process from
// resuming the wrong turn. Finished turns are kept up to a bound; running ones always.
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

export function createTurnBuffers(opts: { keepFinished?: number } = {}) {
  const keep = opts.keepFinished ?? 32;
  // base64url without '-' so the id stays splittable on '-'.
  const instance = randomBytes(6).toString('base64url').replace(/-/g, '_');
  const buffers = new Map<number, TurnBuffer>();
  let nextTurn = 1;

  function evict() {
    const finished = [...buffers.values()].filter((b) => b.done && b.clients === 0);
    for (const b of finished.slice(0, Math.max(0, finished.length - keep))) buffers.delete(b.turnNo);
  }

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
        for (const s of [...subs]) s.onEvent(e);
      },
      finish() {
        if (done) return;
        done = true;
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
  };
}

export type TurnBuffers = ReturnType<typeof createTurnBuffers>;
