// How the e2e tests launch Debian's chromium (apt-get install chromium); no Playwright browser
// downloads. Shared by playwright.config.ts and specs that need a differently flagged browser.

import { existsSync } from 'node:fs';

export const CHROMIUM_PATH =
  ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';

/** Exposes WebGPU without it: SwiftShader's adapter is only offered with this flag. */
export const UNSAFE_WEBGPU_FLAG = '--enable-unsafe-webgpu';

/**
 * Headless WebGPU (and WebGL) on SwiftShader, software Vulkan: no GPU needed. Never add
 * --disable-gpu: it takes the WebGPU adapter away too.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  UNSAFE_WEBGPU_FLAG,
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
