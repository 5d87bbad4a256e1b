import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { wasmThreads } from './scripts/wasmThreads.ts';

// The Content-Security-Policy lives in index.html's <meta>; read it back so there is one copy.
const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/;
const indexHtml = readFileSync(new URL('./index.html', import.meta.url), 'utf8');
const cspMatch = CSP_META.exec(indexHtml);
if (cspMatch === null) throw new Error('index.html: Content-Security-Policy <meta> not found');
const csp = cspMatch[2];

/**
 * Dev server only: plugin-react injects an inline module script (the fast-refresh preamble) and
 * Vite injects CSS as <style> tags, so the dev policy adds 'unsafe-inline' for both. Still no
 * 'unsafe-eval'. Builds and `vite preview` use the policy exactly as written.
 */
function devCsp(): Plugin {
  const relaxed = csp
    .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
  return {
    name: 'isonas:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(CSP_META, (_m, pre: string, _c, post: string) => pre + relaxed + post),
  };
}

/**
 * Response headers for `vite preview` and any deployment (docs/app.md, "Deploying"): no framing
 * (frame-ancestors only works in a header, not in the <meta> policy), no MIME sniffing, no
 * referrer, and none of the powerful features the lab does not use.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), display-capture=(), browsing-topics=()',
};

/**
 * Cross-origin isolation (dev server, preview, and any deployment that wants multi-threaded wasm):
 * with these two headers `crossOriginIsolated` is true, SharedArrayBuffer exists, and the engine
 * worker runs tfjs's threaded SIMD wasm build (src/worker/wasmThreads.ts). The app loads nothing
 * from other origins, so require-corp blocks nothing. docs/app.md, "Deploying".
 */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), devCsp(), wasmThreads()],
  worker: {
    // The engine is a module worker (new Worker(url, { type: 'module' })).
    format: 'es',
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // Source maps are not shipped; ISONAS_SOURCEMAP=1 vite build writes them (local debugging).
    sourcemap: process.env.ISONAS_SOURCEMAP === '1',
    // The worker chunk carries tfjs-core plus three backends (~1.7 MB minified); that is expected.
    chunkSizeWarningLimit: 2500,
  },
  // Pre-bundle tfjs at dev-server start: the dependency scan does not follow the worker, so
  // without this the first page load discovers tfjs late and Vite reloads the page.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: ISOLATION_HEADERS },
  // A <meta> policy does not reach Web Workers; a header does, so preview sends it on every file.
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
    headers: { 'Content-Security-Policy': `${csp}; frame-ancestors 'none'`, ...SECURITY_HEADERS, ...ISOLATION_HEADERS },
  },
});
