// The import layers of ../shared/style.md as an ESLint rule that lists what a layer MAY import (an allow-list:
// anything not named is refused, so a new dependency is a decision, not an accident). It checks every way a
// module can come in: import/export declarations, `import x = require()`, `typeof import()`, dynamic
// `import()` and `require()`; a specifier it cannot read (computed) is refused too.
// The layer of a file is the config's choice (its `files`); relative specifiers are resolved from the file's
// real place, so tests/lint/fixtures/<layer>/… (linted as that layer) import the real tree.
import { builtinModules } from 'node:module';
import { posix, relative, sep } from 'node:path';

const builtins = new Set(builtinModules);

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** @type {import('eslint').Rule.RuleModule} */
const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'a layer imports only what its allow-list names' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          /** What the message says the layer may import. */
          summary: { type: 'string' },
          /** Repo folders a relative import may reach. */
          folders: { type: 'array', items: { type: 'string' } },
          /** Package names (a subpath import counts as its package). */
          packages: { type: 'array', items: { type: 'string' } },
          /** Node built-ins (`node:fs`, `fs`). */
          node: { type: 'boolean' },
          /** Per package, the only named imports allowed (e.g. electron → contextBridge, ipcRenderer). */
          names: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        },
        required: ['layer', 'summary', 'folders'],
        additionalProperties: false,
      },
    ],
    messages: {
      refused: '{{layer}} may import {{summary}} only — not "{{spec}}".',
      computed: '{{layer}}: a computed module specifier cannot be checked against the layer rules; use a string literal.',
      names: '{{layer}} may import only {{names}} from "{{spec}}" — not {{what}}.',
    },
  },
  create(context) {
    const opt = context.options[0];
    const root = context.settings.layersRoot ?? context.cwd;
    const place = relative(root, context.filename).split(sep).join('/');
    const packages = new Set(opt.packages ?? []);
    const folders = opt.folders.map((f) => f.replace(/\/$/, ''));

    function allowed(spec) {
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = posix.normalize(posix.join(posix.dirname(place), spec));
        return folders.some((f) => target === f || target.startsWith(`${f}/`));
      }
      if (spec.startsWith('node:')) return Boolean(opt.node);
      const name = packageName(spec);
      if (builtins.has(name)) return Boolean(opt.node);
      return packages.has(name);
    }

    function check(node, source, specifiers) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') {
        if (source?.type === 'TemplateLiteral' && source.expressions.length === 0) return check(node, { type: 'Literal', value: source.quasis[0].value.cooked }, specifiers);
        context.report({ node, messageId: 'computed', data: { layer: opt.layer } });
        return;
      }
      const spec = source.value;
      if (!allowed(spec)) {
        context.report({ node, messageId: 'refused', data: { layer: opt.layer, summary: opt.summary, spec } });
        return;
      }
      const only = opt.names?.[packageName(spec)];
      if (!only) return;
      // Only named imports of the listed names: a default, namespace, re-export or dynamic import could reach anything.
      const bad =
        specifiers === undefined
          ? ['the whole module']
          : specifiers.filter((s) => s.type !== 'ImportSpecifier' || !only.includes(s.imported.name ?? s.imported.value)).map((s) => (s.type === 'ImportSpecifier' ? (s.imported.name ?? s.imported.value) : s.local.name));
      if (bad.length > 0) context.report({ node, messageId: 'names', data: { layer: opt.layer, names: only.join(', '), spec, what: bad.join(', ') } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source, node.specifiers),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, undefined),
      ExportAllDeclaration: (node) => check(node, node.source, undefined),
      ImportExpression: (node) => check(node, node.source, undefined),
      TSImportEqualsDeclaration: (node) => node.moduleReference.type === 'TSExternalModuleReference' && check(node, node.moduleReference.expression, undefined),
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal, undefined),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0], undefined);
      },
    };
  },
};

export default { rules: { 'allowed-imports': allowedImports } };
