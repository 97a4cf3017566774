// Checks an environment before it is stored: the zod schema (shared/environment.ts) plus what a schema cannot
// say — the URL policy (plain http/ws only to loopback hosts), a gateway host that is only HOST[:PORT], and
// names that would clash with the built-in demo or with device names on Windows (one file per environment).
// Must never accept a value it had to reinterpret silently: every problem becomes an EnvironmentInputError.
import { z } from 'zod';
import { Environment } from '../../../shared/environment';
import { assertSecureUrl, normalizeGatewayHost } from '../net/url-policy';
import { isReservedName } from './demo';

export type EnvironmentInputProblem = 'invalid' | 'reserved' | 'exists' | 'not-found';

export class EnvironmentInputError extends Error {
  override name = 'EnvironmentInputError';
  constructor(
    readonly code: EnvironmentInputProblem,
    message: string,
  ) {
    super(message);
  }
}

const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** "gateway.host: must be ...; model.temperature: ..." — every issue with its field path. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

function httpUrl(url: string, what: string): string {
  const u = assertSecureUrl(url, what);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new EnvironmentInputError('invalid', `${what} must be an https:// URL (http:// only for loopback hosts), not ${u.protocol}//`);
  }
  return url;
}

/** Validates and normalises an environment for storing. Throws EnvironmentInputError. */
export function validateEnvironment(input: unknown): Environment {
  const parsed = Environment.safeParse(input);
  if (!parsed.success) throw new EnvironmentInputError('invalid', `invalid environment: ${formatIssues(parsed.error)}`);
  const env = parsed.data;
  if (isReservedName(env.name)) {
    throw new EnvironmentInputError('reserved', `"${env.name}" is reserved for the built-in demo environment: choose another name`);
  }
  if (WINDOWS_DEVICE_NAMES.test(env.name)) {
    throw new EnvironmentInputError('invalid', `"${env.name}" cannot be an environment name: it is a reserved device name on Windows`);
  }
  try {
    switch (env.kind) {
      case 'gateway':
        env.gateway.host = normalizeGatewayHost(env.gateway.host);
        break;
      case 'socket-endpoint':
        httpUrl(env.socketEndpoint.endpointUrl, 'the endpoint URL');
        if (env.socketEndpoint.apiUrl) httpUrl(env.socketEndpoint.apiUrl, 'the management API URL');
        break;
      default: {
        const never: never = env;
        throw new Error(`unknown upstream kind ${String((never as { kind: unknown }).kind)}`);
      }
    }
  } catch (err) {
    if (err instanceof EnvironmentInputError) throw err;
    throw new EnvironmentInputError('invalid', (err as Error).message);
  }
  return env;
}
