// The command table. One file per command under commands/, each loaded only when it runs: a command pays
// for its own imports (the filter does not load the tokenizer, Socket.IO or the keychain), so start-up stays
// short (issue 13).
import type { Command } from './cli-io';

const lazy =
  <K extends string>(load: () => Promise<Record<K, Command>>, name: K): Command =>
  async (argv, io) =>
    (await load())[name](argv, io);

export const commands: Record<string, Command> = {
  ui: lazy(() => import('./commands/ui'), 'uiCommand'),
  stream: lazy(() => import('./commands/stream'), 'streamCommand'),
  simulate: lazy(() => import('./commands/simulate'), 'simulateCommand'),
  record: lazy(() => import('./commands/record'), 'recordCommand'),
  replay: lazy(() => import('./commands/replay'), 'replayCommand'),
  diff: lazy(() => import('./commands/diff'), 'diffCommand'),
  relay: lazy(() => import('./commands/relay'), 'relayCommand'),
  env: lazy(() => import('./commands/env'), 'envCommand'),
  sync: lazy(() => import('./commands/sync'), 'syncCommand'),
  filter: lazy(() => import('./commands/filter'), 'filterCommand'),
  tap: lazy(() => import('./commands/tap'), 'tapCommand'),
};

export function usage(): string {
  return `cognigy-stream-debugger — debug streamed LLM answers from NICE Cognigy.AI

Usage: npm run cli -- <command> [options]

Commands:
${Object.keys(commands).sort().map((c) => `  ${c}`).join('\n')}

Run "npm run cli -- <command> --help" for a command's options.`;
}
