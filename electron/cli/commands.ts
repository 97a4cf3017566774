// The command table. One file per command under commands/, each loaded only when it runs: a command pays
// for its own imports (the filter does not load the tokenizer, Socket.IO or the keychain), so start-up stays
// short (issue 13).
import type { Command } from './cli-io';

const lazy =
  <K extends string>(load: () => Promise<Record<K, Command>>, name: K): Command =>
  async (argv, io) =>
    (await load())[name](argv, io);

interface CommandInfo {
  run: Command;
  /** One line for the top-level --help. */
  summary: string;
}

/** Every command with its one-line summary: a new command does not compile without one. */
const COMMANDS = {
  compare: { run: lazy(() => import('./commands/compare'), 'compareCommand'), summary: 'send the same input or dialog to two environments (or two policies) at once and diff the answers' },
  diff: { run: lazy(() => import('./commands/diff'), 'diffCommand'), summary: 'compare two cassettes turn by turn: text, token boundaries, PII hits, timing, usage' },
  env: { run: lazy(() => import('./commands/env'), 'envCommand'), summary: 'manage environments and their keychain secrets (list, add, show, set-secret, remove, test)' },
  filter: { run: lazy(() => import('./commands/filter'), 'filterCommand'), summary: 'run the streaming PII filter over JSON lines of chunks' },
  record: { run: lazy(() => import('./commands/record'), 'recordCommand'), summary: 'record a multi-turn dialog from a script into a cassette' },
  relay: { run: lazy(() => import('./commands/relay'), 'relayCommand'), summary: 'serve the filtered stream as Server-Sent Events for your own frontend' },
  replay: { run: lazy(() => import('./commands/replay'), 'replayCommand'), summary: 'replay cassettes as regression tests (JUnit XML for CI)' },
  simulate: { run: lazy(() => import('./commands/simulate'), 'simulateCommand'), summary: 'run the built-in simulator of both upstreams, or serve a cassette' },
  stream: { run: lazy(() => import('./commands/stream'), 'streamCommand'), summary: 'one turn, live: the filtered answer on stdout, progress and status on stderr' },
  sync: { run: lazy(() => import('./commands/sync'), 'syncCommand'), summary: 'the outbox of write-backs not yet through: list, retry, discard' },
  tap: { run: lazy(() => import('./commands/tap'), 'tapCommand'), summary: 'sit between your own frontend and the Socket Endpoint and debug every connection' },
  ui: { run: lazy(() => import('./commands/ui'), 'uiCommand'), summary: "browser mode: the app's UI and engine on 127.0.0.1" },
} satisfies Record<string, CommandInfo>;

export const commands: Record<string, Command> = Object.fromEntries(Object.entries(COMMANDS).map(([name, c]) => [name, c.run]));

export function usage(): string {
  const names = Object.keys(COMMANDS).sort() as Array<keyof typeof COMMANDS>;
  const width = Math.max(...names.map((n) => n.length));
  return `cognigy-stream-debugger — debug streamed LLM answers from NICE Cognigy.AI

Usage: npm run cli -- <command> [options]

Commands:
${names.map((c) => `  ${c.padEnd(width)}  ${COMMANDS[c].summary}`).join('\n')}

Run "npm run cli -- <command> --help" for a command's options.`;
}
