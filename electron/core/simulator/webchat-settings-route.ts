// The Webchat settings request: Webchat v3 GETs the endpoint URL (`<base>/<URLToken>`) before it connects
// and merges what it gets under its embed-time settings. Only the fields a streaming debugger needs are
// answered: whether the endpoint is active and the two streaming flags in `settings.behavior`
// (`collateStreamedOutputs`, `progressiveMessageRendering`), configurable per simulator. Answers with
// CORS open, as a browser page on another origin fetches it. Must never include a credential.
import type { ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { sendJson } from './http-util';

/** Path of the settings request for this simulator: the endpoint URL's path. */
export function webchatSettingsPattern(ctx: SimContext): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^${esc(ctx.config.endpointBasePath)}/${esc(encodeURIComponent(ctx.config.urlToken))}$`);
}

export function handleWebchatSettings(ctx: SimContext, res: ServerResponse): void {
  ctx.stats.webchatSettingsRequests++;
  sendJson(
    res,
    200,
    {
      active: true,
      URLToken: ctx.config.urlToken,
      settings: { behavior: { ...ctx.config.webchatSettings } },
    },
    { 'Access-Control-Allow-Origin': '*' },
  );
}
