import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

// Builds the headless CLI (electron/cli) for plain Node: no Electron binary needed.
const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { dependencies?: Record<string, string> };
// Pure-JS libraries the filter needs at start-up are bundled: loading zod or libphonenumber-js as hundreds of
// small files costs more than the `filter` command's whole start-up budget (issue 13). Native modules, the
// tokenizer (its encodings are required by name at run time), the socket stacks (optional native add-ons)
// and re2js (one file, required only when a policy has patterns of its own: linear-regex.ts) stay external.
const BUNDLED = new Set(['zod', 'libphonenumber-js', 'naughty-words', 'diff']);
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}).filter((d) => !BUNDLED.has(d)),
].map((name) => new RegExp(`^${name.replace(/[/.]/g, '\\$&')}(/.*)?$`));

export default defineConfig({
  // An SSR build leaves every dependency external unless told otherwise.
  ssr: { noExternal: [...BUNDLED] },
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'out/cli',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    rollupOptions: {
      input: { index: resolve('electron/cli/index.ts') },
      external,
      // zod carries comments Rollup cannot place; harmless, and not worth a warning on every build.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
