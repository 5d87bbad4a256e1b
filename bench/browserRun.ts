// The browser runner of `npm run bench`: builds the benchmark page (bench/browser/, its own Vite
// config, not the app's build) into dist-bench/, serves it from a throwaway local HTTP server,
// opens it in Debian's headless Chromium with the e2e flags (e2e/chromium.ts: WebGPU and WebGL on
// SwiftShader where there is no GPU) and returns the worker's measurements to Node.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import type { ExtrasResult } from './extras.ts';
import type { LeverAB } from './leverBench.ts';
import type { StepBenchResult } from './stepBench.ts';
import type { DataBenchCore } from './dataReport.ts';
import { paramsToQuery, type BenchParams, type WorkerReply } from './browser/protocol.ts';
import benchViteConfig, { BENCH_OUT_DIR } from './browser/vite.config.ts';

/** Run the convGrad A/B (bench/leverBench.ts) in the browser. */
export async function runAbInBrowser(p: BenchParams, opts: { timeoutMs: number; onProgress?: (line: string) => void }): Promise<{ ab: LeverAB; browser: string; adapter: string | null }> {
  const r = await runPage({ ...p, ab: true }, opts);
  if (r.reply.type !== 'ab') throw new Error(`unexpected reply ${r.reply.type}`);
  return { ab: r.reply.ab, browser: r.browser, adapter: r.reply.adapter };
}

/** Run one of the fused-BN modes (census, fusedBn A/B, equality check) in the browser worker. */
export async function runFusedModeInBrowser(p: BenchParams, opts: { timeoutMs: number; onProgress?: (line: string) => void }): Promise<{ reply: WorkerReply; browser: string }> {
  return runPage(p, opts);
}

/** Run the data benchmark (bench/dataBench.ts; `p.dataBench` set) in the browser worker. */
export async function runDataInBrowser(p: BenchParams, opts: { timeoutMs: number; onProgress?: (line: string) => void }): Promise<{ data: DataBenchCore; browser: string; adapter: string | null }> {
  const r = await runPage(p, opts);
  if (r.reply.type !== 'data') throw new Error(`unexpected reply ${r.reply.type}`);
  return { data: r.reply.data, browser: r.browser, adapter: r.reply.adapter };
}

export interface BrowserRunResult {
  result: StepBenchResult;
  extras: ExtrasResult | null;
  /** "Chromium 156.0.8078.108 (headless)" */
  browser: string;
  /** The WebGPU adapter / WebGL renderer as the browser reports it (e.g. SwiftShader). */
  adapter: string | null;
}

/** Build dist-bench/ (a few seconds). */
export async function buildBenchPage(): Promise<void> {
  await build({ ...benchViteConfig, configFile: false });
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json', '.css': 'text/css' };

/** Serve a built directory (default dist-bench/) on an ephemeral 127.0.0.1 port, with `headers` on every file. */
export async function serve(root = BENCH_OUT_DIR, headers: Record<string, string> = {}): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('bench: could not bind a local port');
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}

/** Run one benchmark in the browser; `dist-bench/` must be built. Rejects with the worker's error. */
export async function runInBrowser(p: BenchParams, opts: { timeoutMs: number; onProgress?: (line: string) => void }): Promise<BrowserRunResult> {
  const { reply: r, browser } = await runPage(p, opts);
  if (r.type !== 'done') throw new Error(`unexpected reply ${r.type}`);
  return { result: r.result, extras: r.extras, browser, adapter: r.adapter };
}

/**
 * BENCH_CHROMIUM=hardware (bench/gpu.sh): WebGPU / WebGL on the machine's GPU, without the
 * SwiftShader flags of e2e/chromium.ts; otherwise those flags.
 */
function chromiumArgs(): readonly string[] {
  if (process.env.BENCH_CHROMIUM !== 'hardware') return CHROMIUM_ARGS;
  return ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=vulkan', '--ignore-gpu-blocklist', '--no-sandbox', '--no-first-run'];
}

/** Open the bench page with `p`; resolves with the worker's final reply (rejects on its error). */
async function runPage(p: BenchParams, opts: { timeoutMs: number; onProgress?: (line: string) => void }): Promise<{ reply: WorkerReply; browser: string }> {
  const { server, url } = await serve();
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...chromiumArgs()], headless: true });
    const version = `Chromium ${browser.version()} (headless)`;
    const page = await browser.newPage();
    page.on('console', (m) => {
      const t = m.text();
      if (t.startsWith('bench:progress ')) opts.onProgress?.(t.slice('bench:progress '.length));
    });
    const reply = new Promise<WorkerReply>((resolve, reject) => {
      page.exposeFunction('__benchDone', (json: string) => resolve(JSON.parse(json) as WorkerReply)).catch(reject);
      page.on('pageerror', (e) => reject(new Error(`bench page error: ${e.message}`)));
      page.on('crash', () => reject(new Error('the browser page crashed (out of memory?)')));
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result after ${Math.round(opts.timeoutMs / 1000)} s (--timeout-s)`)), opts.timeoutMs);
    });
    try {
      await page.goto(`${url}?${paramsToQuery(p)}`);
      const r = await Promise.race([reply, timeout]);
      if (r.type === 'error') throw new Error(`${p.backend} in Chromium: ${r.message}`);
      return { reply: r, browser: version };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
