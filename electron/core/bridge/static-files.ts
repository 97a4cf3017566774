// Serves the built renderer (out/renderer) read-only: GET/HEAD of files under one directory, nothing else.
// Must never serve a file outside that directory (no `..`, no symlink escape) and never list directories.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

/** The file for a URL path, or undefined (→ 404). `/` is index.html. */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (rel.includes('\0')) return undefined;
  if (rel === '/' || rel === '') rel = '/index.html';
  const base = await realpath(resolve(root));
  const candidate = resolve(base, `.${rel}`);
  if (candidate !== base && !candidate.startsWith(base + sep)) return undefined;
  let real: string;
  try {
    real = await realpath(candidate);
    if (!real.startsWith(base + sep) || !(await stat(real)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const type = TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
  return { body: await readFile(real), type };
}

export function rendererIndex(root: string): string {
  return join(root, 'index.html');
}
