// The cassette file format: JSONL, one header line, then one normalized SessionEvent per line (their `at`
// is the time offset since the turn started; `turn.start` / `turn.end` keep the turn boundaries).
// A cassette must never hold a secret: the header's environment is a whitelist of non-secret fields
// (no URL token either, so a shared cassette cannot be used to reach the endpoint).
import { z } from 'zod';
import { EVENTS_RECORDED_AS_IS, TokenEvent, TurnStartEvent, UpstreamKind } from '../../../shared/events';
import { ModelSettings } from '../../../shared/environment';

export const CASSETTE_FORMAT = 'cognigy-stream-debugger.cassette';
export const CASSETTE_VERSION = 1;

/** The environment as a cassette keeps it: where it pointed, never how to authenticate. */
export const CassetteEnvironment = z.object({
  name: z.string(),
  kind: UpstreamKind,
  description: z.string().optional(),
  gateway: z
    .object({
      host: z.string(),
      clientId: z.string().optional(),
      dialogId: z.string().optional(),
      sessionId: z.string().optional(),
      scopes: z.array(z.string()).optional(),
    })
    .optional(),
  socketEndpoint: z
    .object({
      /** Server part only: the URL token (last path segment) is removed. */
      endpointUrl: z.string(),
      apiUrl: z.string().optional(),
      userId: z.string().optional(),
      sessionId: z.string().optional(),
      channel: z.string().optional(),
      testMode: z.boolean().optional(),
    })
    .optional(),
});
export type CassetteEnvironment = z.infer<typeof CassetteEnvironment>;

export const CassetteHeader = z.object({
  format: z.literal(CASSETTE_FORMAT),
  version: z.literal(CASSETTE_VERSION),
  /** Wall clock, ISO 8601. */
  createdAt: z.string(),
  toolVersion: z.string(),
  upstream: UpstreamKind,
  environment: CassetteEnvironment,
  model: ModelSettings,
  /** The simulator's default scenario when recorded against it (turns may pick their own). */
  scenario: z.string().optional(),
  /** Simulator pacing factor used while recording, when known. */
  speed: z.number().nonnegative().optional(),
  /** true: only filtered text was kept (no raw token text, no raw.text events, inputs filtered). */
  redacted: z.boolean(),
  /** Free text, e.g. the script the dialog came from. */
  note: z.string().optional(),
});
export type CassetteHeader = z.infer<typeof CassetteHeader>;

/**
 * A token line. In a redacted cassette `text`/`bytes` are gone and only their size stays, so token
 * timing and boundaries can still be compared: `textLength` (UTF-16 code units) or `byteLength`.
 */
export const CassetteTokenEvent = TokenEvent.extend({
  textLength: z.number().int().nonnegative().optional(),
  byteLength: z.number().int().nonnegative().optional(),
});
export type CassetteTokenEvent = z.infer<typeof CassetteTokenEvent>;

/** A turn.start line; `inputRedacted` marks an input that the filter policy changed in a redacted cassette. */
export const CassetteTurnStartEvent = TurnStartEvent.extend({
  inputRedacted: z.boolean().optional(),
});

export const CassetteEvent = z.discriminatedUnion('type', [CassetteTurnStartEvent, CassetteTokenEvent, ...EVENTS_RECORDED_AS_IS]);
export type CassetteEvent = z.infer<typeof CassetteEvent>;

export interface Cassette {
  header: CassetteHeader;
  events: CassetteEvent[];
}
