// Turns one incoming message (channel, request, sender URL) into an IpcResult. The order matters and is the
// point of this file: sender first (an unexpected frame is refused before its payload is even parsed), then
// the channel, then the request schema, then the handler, then the response schema.
import { describeZodError, invokeChannels, isInvokeChannel, type InvokeChannel, type IpcResult } from '../../../shared/ipc';
import { toIpcErrorData } from './app-error';
import type { ClientContext, Handlers } from './handler-types';
import type { SenderPolicy } from './sender-policy';

export type Dispatch = (channel: unknown, request: unknown, senderUrl: string | undefined) => Promise<IpcResult>;

export interface DispatcherOptions {
  handlers: Handlers;
  isTrustedSender: SenderPolicy;
  ctx: ClientContext;
  /** Told about failures for the log; never given request payloads (they may hold a secret). */
  onError?: (channel: string, message: string) => void;
}

export function createDispatcher(opts: DispatcherOptions): Dispatch {
  return async (channel, request, senderUrl) => {
    if (!opts.isTrustedSender(senderUrl)) {
      return { ok: false, error: { code: 'invalid-sender', message: 'refused: the message did not come from the app\'s own page' } };
    }
    if (!isInvokeChannel(channel)) {
      return { ok: false, error: { code: 'invalid-request', message: `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}` } };
    }
    const schema = invokeChannels[channel];
    const parsed = schema.request.safeParse(request ?? {});
    if (!parsed.success) {
      // The schema's words about the fields, without the channel name (the message may reach a person).
      return { ok: false, error: { code: 'invalid-request', message: describeZodError(parsed.error) } };
    }
    try {
      const handler = opts.handlers[channel] as (req: unknown, ctx: ClientContext) => Promise<unknown>;
      const response = await handler(parsed.data, opts.ctx);
      const checked = schema.response.safeParse(response);
      if (!checked.success) {
        opts.onError?.(channel, `bad response: ${describeZodError(checked.error)}`);
        return { ok: false, error: { code: 'failed', message: `${channel}: internal error (response did not match the contract)` } };
      }
      return { ok: true, response: checked.data };
    } catch (err) {
      const error = toIpcErrorData(err);
      opts.onError?.(channel, error.message);
      return { ok: false, error };
    }
  };
}

export type { InvokeChannel };
