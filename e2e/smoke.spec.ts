import { expect, test } from '@playwright/test';
import { checkSmokePage } from './smokeCheck.ts';

test('loads, selects WebGPU in the worker and computes the smoke moments', async ({ page }) => {
  // The worker takes its CSP from its own response (a <meta> does not reach it): check it has one.
  const workerScript = page.waitForResponse((r) => /\/assets\/engine\.worker-[^/]*\.js$/.test(r.url()));
  const label = await checkSmokePage(page, '/', 'webgpu');
  expect(label).toBe('webgpu'); // no fallbacks

  const csp = (await workerScript).headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
});

test('?backends=webgl,cpu selects WebGL with the same numbers', async ({ page }) => {
  expect(await checkSmokePage(page, '/?backends=webgl,cpu', 'webgl')).toBe('webgl');
});

test('?backends=cpu forces the cpu backend with the same numbers', async ({ page }) => {
  expect(await checkSmokePage(page, '/?backends=cpu', 'cpu')).toBe('cpu');
});
