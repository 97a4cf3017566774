// A developer's own frontend, played by Cognigy's official client from npm: connects to an endpoint URL
// (`<base>/<URLToken>`, e.g. what the tap prints), waits for endpoint-ready, sends each input and collects the
// texts of the outputs until its finalPing. Resolves with the output texts per input.
import { SocketClientV4, SocketClientV5 } from '../compat/clients';

export interface FrontendOptions {
  client?: typeof SocketClientV4 | typeof SocketClientV5;
  userId?: string;
  sessionId?: string;
}

export async function talkThrough(endpointUrl: string, inputs: Array<[text: string, scenario: string]>, o: FrontendOptions = {}): Promise<string[][]> {
  const u = new URL(endpointUrl);
  const base = `${u.origin}${u.pathname.replace(/\/[^/]*$/, '')}`;
  const Client = o.client ?? SocketClientV5;
  const client = new Client(base, decodeURIComponent(u.pathname.split('/').pop() ?? ''), {
    forceWebsockets: true,
    reconnection: false,
    ...(o.userId ? { userId: o.userId } : {}),
    ...(o.sessionId ? { sessionId: o.sessionId } : {}),
  });
  try {
    await client.connect();
    if (!client.isEndpointReady) await new Promise<void>((r) => client.once('endpoint-ready', () => r()));
    const got: string[][] = [];
    for (const [text, scenario] of inputs) {
      const texts: string[] = [];
      const onOutput = (out: { text?: string }) => texts.push(out.text ?? '');
      client.on('output', onOutput);
      const done = new Promise<void>((r) => client.once('finalPing', () => r()));
      client.sendMessage(text, { scenario });
      await done;
      client.off('output', onOutput);
      got.push(texts);
    }
    return got;
  } finally {
    client.disconnect();
  }
}
