// The command table. One file per command under commands/.
import type { Command } from './cli-io';
import { simulateCommand } from './commands/simulate';
import { streamCommand } from './commands/stream';
import { uiCommand } from './commands/ui';
import { recordCommand } from './commands/record';
import { replayCommand } from './commands/replay';
import { diffCommand } from './commands/diff';
import { relayCommand } from './commands/relay';
import { envCommand } from './commands/env';
import { syncCommand } from './commands/sync';
import { filterCommand } from './commands/filter';
import { tapCommand } from './commands/tap';

interface CommandInfo {
  run: Command;
  /** One line for the top-level --help. */
  summary: string;
}

/** Every command with its one-line summary: a new command does not compile without one. */
const COMMANDS = {
  diff: { run: diffCommand, summary: 'compare two cassettes turn by turn: text, token boundaries, PII hits, timing, usage' },
  env: { run: envCommand, summary: 'manage environments and their keychain secrets (list, add, show, set-secret, remove, test)' },
  filter: { run: filterCommand, summary: 'run the streaming PII filter over JSON lines of chunks' },
  record: { run: recordCommand, summary: 'record a multi-turn dialog from a script into a cassette' },
  relay: { run: relayCommand, summary: 'serve the filtered stream as Server-Sent Events for your own frontend' },
  replay: { run: replayCommand, summary: 'replay cassettes as regression tests (JUnit XML for CI)' },
  simulate: { run: simulateCommand, summary: 'run the built-in simulator of both upstreams, or serve a cassette' },
  stream: { run: streamCommand, summary: 'one turn, live: the filtered answer on stdout, progress and status on stderr' },
  sync: { run: syncCommand, summary: 'the outbox of write-backs not yet through: list, retry, discard' },
  tap: { run: tapCommand, summary: 'sit between your own frontend and the Socket Endpoint and debug every connection' },
  ui: { run: uiCommand, summary: 'browser mode: the app\'s UI and engine on 127.0.0.1' },
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
