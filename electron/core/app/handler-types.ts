// The shape of one IPC handler: it receives a request already validated against the channel's schema and
// returns the channel's response type. Handlers are plain functions: no Electron, no sockets.
import type { z } from 'zod';
import type { InvokeChannel, InvokeResponse, invokeChannels } from '../../../shared/ipc';
import type { SessionRegistry } from './session-registry';

export interface ClientContext {
  /** This client's sessions (one window, or one bridge connection). */
  sessions: SessionRegistry;
}

export type ParsedRequest<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['request']>;
export type Handler<C extends InvokeChannel> = (request: ParsedRequest<C>, ctx: ClientContext) => Promise<InvokeResponse<C>>;
export type Handlers = { [C in InvokeChannel]: Handler<C> };
