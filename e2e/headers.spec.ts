// The preview server's security headers (vite.config.ts SECURITY_HEADERS) and a production build
// without source maps: request-level checks, no page rendering.
import { expect, test } from '@playwright/test';

test('preview sends the security headers and the build ships no source maps', async ({ request }) => {
  const page = await request.get('/');
  expect(page.status()).toBe(200);
  const h = page.headers();
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('no-referrer');
  expect(h['permissions-policy']).toContain('camera=()');
  // Cross-origin isolation, for multi-threaded wasm (e2e/wasmThreads.spec.ts).
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  expect(h['cross-origin-embedder-policy']).toBe('require-corp');
  const scripts = [...(await page.text()).matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) {
    const js = await request.get(src);
    expect(js.headers()['x-content-type-options']).toBe('nosniff');
    expect(await js.text()).not.toMatch(/sourceMappingURL=/);
    const map = await request.get(`${src}.map`);
    expect(map.status() === 404 || !(await map.text()).includes('"mappings"')).toBe(true);
  }
});
