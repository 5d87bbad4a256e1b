// Multi-threaded wasm: `vite preview` sends COOP/COEP, so the page is cross-origin isolated, the
// engine worker loads tfjs's threaded SIMD build and starts its pthread workers from this origin
// (tfjs-wasm/pthread.js, not blob: URLs the CSP would refuse), and the smoke numbers still hold.
import { expect, test } from '@playwright/test';
import { checkSmokePage } from './smokeCheck.ts';
import { expectedWasmThreads, threadsText, wasmThreadsWhy } from '../src/ui/shell/backendBadge.ts';

test('cross-origin isolated: wasm runs its threaded SIMD build with same-origin pthread workers', async ({ page }) => {
  const requested: string[] = [];
  page.context().on('request', (r) => requested.push(new URL(r.url()).pathname));
  const label = await checkSmokePage(page, '/?backends=wasm', 'wasm');
  expect(label).toBe('wasm');
  expect(await page.evaluate(() => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated)).toBe(true);
  expect(requested.filter((p) => p.endsWith('.wasm'))).toEqual([expect.stringMatching(/tfjs-backend-wasm-threaded-simd[^/]*\.wasm$/)]);
  expect(requested).toContain('/tfjs-wasm/pthread.js');
  expect(requested).toContain('/tfjs-wasm/threaded-simd.js');
  expect(requested.filter((p) => p.startsWith('blob:'))).toEqual([]);
  // The pthread workers are running (nested in the engine worker), from this origin.
  await expect.poll(() => page.workers().filter((w) => w.url().endsWith('/tfjs-wasm/pthread.js')).length).toBeGreaterThan(0);
  // The top bar's badge says how many threads (tfjs: half the logical cores, 1 to 8), its tooltip why.
  const cores = await page.evaluate<number>('navigator.hardwareConcurrency');
  const threads = expectedWasmThreads(cores);
  await expect(page.getByTestId('topbar-backend')).toHaveText(`wasm · ${threadsText(threads)}`);
  await expect(page.getByRole('link', { name: /^Engine: wasm · / })).toHaveAttribute('title', wasmThreadsWhy(threads, true, cores));
  await expect(page.getByTestId('engine-threads')).toHaveText(wasmThreadsWhy(threads, true, cores));
});
