// The command table. One file per command under commands/.
import type { Command } from './cli-io';

export const commands: Record<string, Command> = {};

export function usage(): string {
  return `cognigy-stream-debugger — debug streamed LLM answers from NICE Cognigy.AI

Usage: npm run cli -- <command> [options]

Commands:
${Object.keys(commands).sort().map((c) => `  ${c}`).join('\n')}

Run "npm run cli -- <command> --help" for a command's options.`;
}
