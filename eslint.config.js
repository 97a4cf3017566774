// Lint = type-aware style + the import layers of ../shared/style.md. A wrong import is a red CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Node built-ins by bare name (exact match), so that a local './events' is not mistaken for one.
const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'stream', 'events', 'util', 'url', 'worker_threads'];
const node = ['node:*'];
const pattern = (group, message) => ({ group, message });

const layer = (files, patterns, noNode = false) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns, paths: noNode ? nodeBuiltins.map((name) => ({ name, message: 'no Node built-ins in this layer.' })) : [] },
    ],
  },
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-control-regex': 'off',
    },
  },
  // shared/: the IPC contract and event types — zod only.
  layer(['shared/**/*.ts'], [
    pattern(['electron', 'electron/*'], 'shared/ may import zod only.'),
    pattern(['react', 'react-dom', 'zustand', ...node], 'shared/ may import zod only.'),
    pattern(['**/electron/**', '**/renderer/**'], 'shared/ must not reach into electron/ or renderer/.'),
  ], true),
  // electron/core: pure TypeScript, never Electron, never the renderer.
  layer(['electron/core/**/*.ts'], [
    pattern(['electron', 'electron/*'], 'electron/core must never import electron (it runs headless in the CLI and tests).'),
    pattern(['**/renderer/**', '**/main/**', '**/preload/**', '**/cli/**', 'react', 'react-dom', 'zustand'], 'electron/core may import shared/, Node and libraries only.'),
  ]),
  // electron/cli: core and shared.
  layer(['electron/cli/**/*.ts'], [
    pattern(['electron', 'electron/*'], 'the CLI must run without Electron.'),
    pattern(['**/renderer/**', '**/main/**', '**/preload/**', 'react', 'react-dom', 'zustand'], 'the CLI may import core and shared only.'),
  ]),
  // electron/main: core, shared, electron.
  layer(['electron/main/**/*.ts'], [
    pattern(['**/renderer/**', '**/preload/**', '**/cli/**', 'react', 'react-dom', 'zustand'], 'main may import core, shared and electron only.'),
  ]),
  // electron/preload: shared and electron's contextBridge/ipcRenderer only.
  layer(['electron/preload/**/*.ts'], [
    pattern(['**/core/**', '**/main/**', '**/cli/**', '**/renderer/**', ...node], 'preload may import shared/ and electron only.'),
  ], true),
  // renderer/: shared, React, zustand — never core or Node.
  layer(['renderer/**/*.{ts,tsx}'], [
    pattern(['electron', 'electron/*', ...node], 'the renderer never touches Electron or Node.'),
    pattern(['**/electron/**'], 'the renderer may import the project shared/ only, never core/main/preload.'),
  ], true),
);
