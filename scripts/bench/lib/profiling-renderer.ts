// The renderer as the app ships it, but on React's profiling build, so that the <Profiler>s of
// renderer/src/views/Counted.tsx count commits per part of the window. Same root, plugins and entry as the
// renderer section of electron.vite.config.ts; only react-dom/client is swapped and the output goes aside.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

export async function buildProfilingRenderer(root: string): Promise<string> {
  const outDir = resolve(root, 'out/renderer-profiling');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: resolve(root, 'renderer'),
    plugins: [react()],
    resolve: { alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] },
    build: { outDir, emptyOutDir: true, minify: !process.env.BENCH_UI_PROFILE && !process.env.BENCH_UI_CLICK_PROFILE && !process.env.BENCH_UI_TRACE, rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } } },
  });
  return outDir;
}
