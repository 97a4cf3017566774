// The IPC shapes of the tap: one tap for the app, in front of a socket-endpoint environment's Socket
// Endpoint; the URL the developer puts into their frontend; the live connections, each a session a window
// can watch. The URL carries the environment's URL token, which the environment itself already shows; no
// keychain secret is involved in a tap.
import { z } from 'zod';
import { UpstreamKind } from './events';

export const TapConnection = z.object({
  id: z.string(),
  /** The frontend's user id and session id (from its handshake query), when it sent them. */
  userId: z.string().optional(),
  sessionId: z.string(),
  startedAt: z.string(),
  turns: z.number().int().nonnegative(),
  /** false once the frontend or the upstream ended the connection (its session stays watchable). */
  open: z.boolean(),
  /** The cassette this connection is recorded to, when recording. */
  recording: z.string().optional(),
});
export type TapConnection = z.infer<typeof TapConnection>;

export const TapStatus = z.object({
  running: z.boolean(),
  url: z.string().optional(),
  environment: z.string().optional(),
  /** The frontend receives the filtered stream. */
  enforce: z.boolean().optional(),
  connections: z.array(TapConnection),
  error: z.string().optional(),
});
export type TapStatus = z.infer<typeof TapStatus>;

export const tapChannels = {
  'renderer:tap.start': {
    /** One tap for the app; starting it again restarts it. port 0/absent = a free one. */
    request: z.object({ environment: z.string().min(1), port: z.number().int().min(0).max(65535).optional(), enforce: z.boolean().optional(), record: z.boolean().optional() }),
    response: TapStatus,
  },
  'renderer:tap.stop': {
    request: z.object({}),
    response: TapStatus,
  },
  'renderer:tap.status': {
    request: z.object({}),
    response: TapStatus,
  },
  'renderer:tap.watch': {
    /** Shows a tapped connection's session in this window (instead of the window's own session). */
    request: z.object({ connectionId: z.string().min(1) }),
    response: z.object({ sessionId: z.string(), environment: z.string(), upstream: UpstreamKind }),
  },
} as const;

export const tapPushChannels = {
  /** The tap started, stopped, or a connection came, went or finished a turn. */
  'main:tap.status': TapStatus,
} as const;
