// UI frame-time benchmark: the built app in headless Chromium (e2e flags), training
// started from the Training panel on a URL preset, and the main thread's requestAnimationFrame
// intervals recorded while the worker streams progress. A frame interval is what a user sees as
// jank; the budget is 50 ms. The app is built with its own vite.config.ts into dist-bench-ui/.
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import { serve } from './browserRun.ts';
import { ISOLATION_HEADERS } from '../vite.config.ts';
import { frameStats, type FrameStats } from './frameStats.ts';
import { attributeLongFrames, type LongFrameAttribution, type LongFrameEntry } from './longFrames.ts';

const APP_CONFIG = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
const UI_OUT_DIR = fileURLToPath(new URL('../dist-bench-ui', import.meta.url));

export interface UiFramesOptions {
  /** App URL query (the setup): default the tiny preset. */
  query: string;
  /** Recording window once the first step has arrived. */
  seconds: number;
  /** Idle recording before training starts (baseline). */
  idleSeconds: number;
  /** Serve with COOP/COEP as `vite preview` does (threaded wasm); false: without (one thread). Default true. */
  isolated?: boolean;
  onProgress?: (line: string) => void;
}

export interface UiFramesResult {
  query: string;
  browser: string;
  backend: string | null;
  /** The page's crossOriginIsolated (threaded wasm needs it). */
  crossOriginIsolated: boolean;
  idle: FrameStats;
  training: FrameStats;
  /** The training window's long frames: caused by the page's main-thread work or not (longFrames.ts). */
  trainingLongFrames: LongFrameAttribution;
  /** Steps the worker finished inside the training window, and the window length. */
  stepsInWindow: number;
  windowMs: number;
}

/** Browser-side snippets as strings (this file is type-checked without the DOM library). */
const RECORDER =
  'window.__frames = []; window.__loaf = []; const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); }; requestAnimationFrame(tick);' +
  ' try { new PerformanceObserver((l) => { for (const e of l.getEntries()) { const s = e.scripts || []; let top = null, sum = 0;' +
  ' for (const x of s) { sum += x.duration; if (top === null || x.duration > top.duration) top = x; }' +
  ' window.__loaf.push({ startTime: e.startTime, duration: e.duration, blockingDuration: e.blockingDuration || 0, scriptMs: sum, topInvoker: top ? String(top.invoker || top.invokerType || "script") : null }); } })' +
  ".observe({ type: 'long-animation-frame', buffered: false }); } catch (e) { window.__loafError = String(e); }";
const RESET = 'window.__frames = []; window.__loaf = []; 0';
const TAKE_LOAF = 'window.__loafError ? { error: window.__loafError } : window.__loaf.slice()';
const TAKE = 'window.__frames.slice()';
const START_ENABLED = '!document.querySelector(\'[data-testid="train-start"]\').disabled';

export async function runUiFrames(o: UiFramesOptions): Promise<UiFramesResult> {
  const log = o.onProgress ?? (() => {});
  log('building the app into dist-bench-ui/');
  await build({ configFile: APP_CONFIG, logLevel: 'warn', build: { outDir: UI_OUT_DIR, emptyOutDir: true, sourcemap: false, rolldownOptions: { checks: { bundlerTimings: false } } } });
  const { server, url } = await serve(UI_OUT_DIR, o.isolated === false ? {} : ISOLATION_HEADERS);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
    // bypassCSP: the recorder and probes below are strings, which the app's CSP (no unsafe-eval) would refuse.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    // The recorder runs from the first frame on; the page's CSP does not apply to init scripts.
    await page.addInitScript({ content: RECORDER });
    await page.goto(`${url}?${o.query}`);
    const start = page.getByTestId('train-start');
    await start.waitFor({ state: 'visible', timeout: 120_000 });
    await page.waitForFunction(START_ENABLED, undefined, { timeout: 120_000 });
    const backend = await page.getByTestId('backend-label').getAttribute('data-backend');
    const crossOriginIsolated = (await page.evaluate('self.crossOriginIsolated === true')) as boolean;
    log(`app ready on ${backend}; idle frames for ${o.idleSeconds} s`);
    await page.evaluate(RESET);
    await page.waitForTimeout(o.idleSeconds * 1000);
    const idle = (await page.evaluate(TAKE)) as number[];
    await start.click();
    const stepNow = async () => Number((await page.getByTestId('train-step').innerText()) || '0');
    const t0 = Date.now();
    while ((await stepNow()) < 1) {
      if (Date.now() - t0 > 600_000) throw new Error('no training step after 600 s');
      await page.waitForTimeout(500);
    }
    const firstStep = await stepNow();
    log(`first step after ${((Date.now() - t0) / 1000).toFixed(0)} s; recording ${o.seconds} s`);
    await page.evaluate(RESET);
    const w0 = Date.now();
    await page.waitForTimeout(o.seconds * 1000);
    const frames = (await page.evaluate(TAKE)) as number[];
    const loaf = (await page.evaluate(TAKE_LOAF)) as LongFrameEntry[] | { error: string };
    if (!Array.isArray(loaf)) throw new Error(`long-animation-frame observer unavailable: ${loaf.error}`);
    const windowMs = Date.now() - w0;
    const stepsInWindow = (await stepNow()) - firstStep;
    await page.getByTestId('train-stop').click().catch(() => {});
    return { query: o.query, browser: `Chromium ${browser.version()} (headless)`, backend, crossOriginIsolated, idle: frameStats(idle), training: frameStats(frames), trainingLongFrames: attributeLongFrames(frames, loaf), stepsInWindow, windowMs };
  } finally {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
