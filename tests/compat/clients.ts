// Cognigy's official socket clients from npm, for compatibility tests against our simulator and tap.
// They live in their own install (tests/compat/package.json, installed by scripts/test.sh) so that the
// root `npm install` pulls in nothing whose engines contradict ours (4.9.2 declares node >=22.1).
// 4.9.2 runs on socket.io-client 2.x (Engine.IO v3); 5.0.0-beta.26 (what Webchat 3.49 pins) on 4.7.5.
export { SocketClient as SocketClientV4 } from 'cognigy-socket-client-4';
export { SocketClient as SocketClientV5 } from 'cognigy-socket-client-5';
