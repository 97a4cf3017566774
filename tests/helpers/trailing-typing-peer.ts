// A Socket Endpoint peer whose bot sends its typingOff after the finalPing, and only once the client's ack
// of that finalPing is back: the typing state then always arrives after the turn's end (with the simulator
// both go out in one tick, so which side of the end it lands on is up to the network).
// Each input gets typingOn, one whole output ("You said: <text>."), finalPing, then typingOff.
// Cognigy's frontend clients ack the finalPing too, so behind the tap the frontend's ack releases it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export interface TrailingTypingPeer {
  /** Endpoint URL: `http://127.0.0.1:<port>/tok` (URL token `tok`). */
  url: string;
  close(): Promise<void>;
}

/** `typingOffAfter`: also wait for this before the typingOff goes out (e.g. until the tap's turn has ended). */
export async function startTrailingTypingPeer(o: { typingOffAfter?: () => Promise<unknown> } = {}): Promise<TrailingTypingPeer> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, transports: ['websocket'] });
  io.on('connection', (socket) => {
    socket.emit('endpoint-ready');
    socket.on('processInput', (p: { text?: string }) => {
      socket.emit('typingStatus', { status: 'typingOn' });
      socket.emit('output', { type: 'output', data: { text: `You said: ${p.text ?? ''}.`, data: null, source: 'bot' } }, () => undefined);
      socket.emit('finalPing', { type: 'regular' }, () => {
        void Promise.resolve(o.typingOffAfter?.()).then(() => socket.emit('typingStatus', { status: 'typingOff' }));
      });
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/tok`,
    close: () =>
      new Promise<void>((r) => {
        void io.close(() => r());
      }),
  };
}
