// Build of the benchmark page (bench/browser/index.html + its worker), separate from the app's
// build: `npm run bench` builds it into dist-bench/ and serves it to headless Chromium.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export const BENCH_ROOT = fileURLToPath(new URL('.', import.meta.url));
export const BENCH_OUT_DIR = fileURLToPath(new URL('../../dist-bench', import.meta.url));

export default defineConfig({
  root: BENCH_ROOT,
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: BENCH_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
    // no "slow plugin" notices on stderr (a loaded machine always triggers them)
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
