import { expect, test } from '@playwright/test';
import { checkSmokePage } from './smokeCheck.ts';

// This machine's only WebGPU adapter is SwiftShader: the default order ranks it below wasm, so
// WebGPU is asked for explicitly (?backends=webgpu).
test('loads, selects WebGPU in the worker and computes the smoke moments', async ({ page }) => {
  // The worker takes its CSP from its own response (a <meta> does not reach it): check it has one.
  const workerScript = page.waitForResponse((r) => /\/assets\/engine\.worker-[^/]*\.js$/.test(r.url()));
  const label = await checkSmokePage(page, '/?backends=webgpu', 'webgpu');
  expect(label).toBe('webgpu'); // no fallbacks

  const csp = (await workerScript).headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp.replace("'wasm-unsafe-eval'", '')).not.toContain('unsafe-eval');
});

test('by default a software GPU ranks below wasm: wasm from this origin, with the reason shown', async ({ page }) => {
  const wasmFiles: string[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasmFiles.push(r.url());
  });
  const label = await checkSmokePage(page, '/', 'wasm');
  expect(label).toMatch(/^wasm \(fell back from webgpu: .*(software|fallback|swiftshader).*ranked below wasm/i);
  expect(wasmFiles.length).toBeGreaterThan(0);
  for (const u of wasmFiles) expect(new URL(u).origin).toBe(new URL(page.url()).origin);
});

test('?backends=webgl,cpu selects WebGL with the same numbers', async ({ page }) => {
  expect(await checkSmokePage(page, '/?backends=webgl,cpu', 'webgl')).toBe('webgl');
});

test('?backends=cpu forces the cpu backend with the same numbers', async ({ page }) => {
  expect(await checkSmokePage(page, '/?backends=cpu', 'cpu')).toBe('cpu');
});
