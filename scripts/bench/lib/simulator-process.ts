// The simulator in a child process for client benchmarks, so its own work does not skew the client's
// numbers. Resolves with its port once it listens.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SimulatorCreds {
  clientId: string;
  clientSecret: string;
  urlToken: string;
  apiKey: string;
}

export function startSimulatorProcess(creds: SimulatorCreds, speed = 0): Promise<{ port: number; stop(): void }> {
  const cli = resolve(dirname(fileURLToPath(import.meta.url)), '../../../electron/cli/index.ts');
  const code = `import('${cli}').then((m) => m.runFromProcess(process.argv.slice(1)))`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', code, 'simulate', '--port', '0', '--client-id', creds.clientId, '--client-secret', creds.clientSecret, '--url-token', creds.urlToken, '--api-key', creds.apiKey, '--speed', String(speed)],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) res({ port: Number(m[1]), stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (c) => rej(new Error(`simulator exited with ${c}: ${out}`)));
  });
}
