// Lint = type-aware rules + the import layers of ../shared/style.md, written as what each layer MAY import
// (scripts/lint/layers.js). A wrong import is a red CI. tests/lint/lint-rules.test.ts lints fixtures that
// break each rule and expects each to fail, so a rule cannot silently stop working.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './scripts/lint/layers.js';

const root = dirname(fileURLToPath(import.meta.url));
const { dependencies } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const UI_PACKAGES = ['react', 'react-dom', 'zustand'];
/** "Libraries" for core: the runtime dependencies, minus the UI's. */
const LIBRARIES = Object.keys(dependencies).filter((name) => !UI_PACKAGES.includes(name));

/** One layer: its files (and the fixtures that mirror them) may import exactly what `allow` lists. */
const layer = (folder, ext, allow) => ({
  files: [`${folder}/**/*.${ext}`, `tests/lint/fixtures/${folder}/**/*.${ext}`],
  plugins: { layers },
  rules: { 'layers/allowed-imports': ['error', { layer: `${folder}/`, ...allow }] },
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'tests/compat/node_modules/**', 'tests/lint/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    settings: { layersRoot: root },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-control-regex': 'off',
      // Noise here: `async` marks implementations of Promise-returning interfaces, whose errors must reject, not throw.
      '@typescript-eslint/require-await': 'off',
      // Noise here: objects are closures, never `this`-based, so a detached method (`const { feed } = parser`) is safe.
      '@typescript-eslint/unbound-method': 'off',
      // An abort reason or a caught error is passed on as it is (wrapping it would lose what it was).
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  // Plain JS (configs, launch scripts) is outside the TypeScript project: no type information to use.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['tests/**/*.{ts,tsx}'],
    ignores: ['tests/lint/fixtures/**'],
    rules: {
      // Noise in tests: they read JSON replies and parsed files field by field, and a wrong field fails the assertion itself.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  layer('shared', 'ts', { summary: 'zod and shared/ itself', folders: ['shared'], packages: ['zod'] }),
  layer('renderer', '{ts,tsx}', { summary: 'shared/, react, react-dom, zustand and renderer/ itself', folders: ['renderer', 'shared'], packages: UI_PACKAGES }),
  layer('electron/preload', 'ts', {
    summary: "electron's contextBridge and ipcRenderer, shared/ and electron/preload/ itself",
    folders: ['electron/preload', 'shared'],
    packages: ['electron'],
    names: { electron: ['contextBridge', 'ipcRenderer'] },
  }),
  layer('electron/core', 'ts', {
    summary: 'shared/, Node, the runtime libraries (package.json dependencies but the UI ones), package.json (its version) and electron/core/ itself',
    folders: ['electron/core', 'shared', 'package.json'],
    packages: LIBRARIES,
    node: true,
  }),
  layer('electron/cli', 'ts', { summary: 'electron/core/, shared/, Node and electron/cli/ itself', folders: ['electron/cli', 'electron/core', 'shared'], node: true }),
  layer('electron/main', 'ts', { summary: 'electron/core/, shared/, electron, Node and electron/main/ itself', folders: ['electron/main', 'electron/core', 'shared'], packages: ['electron'], node: true }),
);
