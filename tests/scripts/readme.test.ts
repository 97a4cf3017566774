// The README a fresh clone reads: every file it links exists in the clone, it points at no team material
// outside the repository, and its Node requirement is the one package.json enforces.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('links only files the clone has, the protocol pages included', () => {
    expect(readme).not.toMatch(/\.\.\/shared\//);
    const links = [...readme.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
    expect(links).toEqual(expect.arrayContaining(['docs/protocols/gateway.md', 'docs/protocols/socket-endpoint.md']));
    for (const l of links) expect(existsSync(join(root, l)), l).toBe(true);
    for (const page of ['gateway.md', 'socket-endpoint.md']) {
      const text = readFileSync(join(root, 'docs/protocols', page), 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)\)/g)) if (!/^https?:/.test(m[1]!)) expect(existsSync(join(root, 'docs/protocols', dirname(m[1]!), m[1]!.split('/').pop()!)), m[1]).toBe(true);
    }
  });

  it('states the Node requirement package.json enforces', () => {
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('>=20.19');
    expect(readme).toContain('Node.js 20.19 or later');
    expect(readme).toMatch(/tests\/compat\//);
  });
});
