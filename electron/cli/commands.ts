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

export const commands: Record<string, Command> = {
  ui: uiCommand,
  stream: streamCommand,
  simulate: simulateCommand,
  record: recordCommand,
  replay: replayCommand,
  diff: diffCommand,
  relay: relayCommand,
  env: envCommand,
  sync: syncCommand,
  filter: filterCommand,
  tap: tapCommand,
};

export function usage(): string {
  return `cognigy-stream-debugger — debug streamed LLM answers from NICE Cognigy.AI

Usage: npm run cli -- <command> [options]

Commands:
${Object.keys(commands).sort().map((c) => `  ${c}`).join('\n')}

Run "npm run cli -- <command> --help" for a command's options.`;
}
