import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Two projects: everything Node-side (core, cli, main glue, e2e through real Chromium), and renderer
// component tests in jsdom.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/{core,cli,main,shared,lint,e2e,scripts}/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          testTimeout: 15_000,
        },
      },
    ],
  },
});
