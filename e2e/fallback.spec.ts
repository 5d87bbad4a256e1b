import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, UNSAFE_WEBGPU_FLAG } from './chromium.ts';
import { checkSmokePage } from './smokeCheck.ts';

// A browser without --enable-unsafe-webgpu offers no (SwiftShader) WebGPU adapter, so the
// order webgpu -> webgl -> cpu must fall back, and say why; the default order (webgpu -> webgl ->
// wasm -> cpu) passes over the software WebGL renderer too and lands on wasm. (Worker-scoped option:
// this file gets its own browser.)
test.use({
  launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS.filter((a) => a !== UNSAFE_WEBGPU_FLAG) },
});

test('without a WebGPU adapter the page falls back to WebGL and shows the reason', async ({ page }) => {
  const label = await checkSmokePage(page, '/?backends=webgpu,webgl,cpu', 'webgl');
  expect(label).toMatch(/^webgl \(fell back from webgpu: .+\)$/);
});

test('by default it passes over the software WebGL renderer too and runs on wasm', async ({ page }) => {
  const label = await checkSmokePage(page, '/', 'wasm');
  expect(label).toMatch(/^wasm \(fell back from webgpu: .+; webgl: software renderer .+ranked below wasm\)$/);
});
