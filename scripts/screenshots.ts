// `npm run -s screenshots`: builds the app, serves it, fills a tiny session (trains the tiny
// supernet a few steps, analyses isometry, runs a small search and picks a subnet) and renders
// every view at 1440x900 (light and dark) and 390x844 (light) into docs/img/<view>-<size>-<theme>.png.
// Headless Chromium with the e2e flags (SwiftShader WebGPU); the ?backends= order is the app's.
// Usage: npm run -s screenshots [-- --empty]   (--empty: the views before anything ran)
// SHOTS_PORT: the preview port (default 4112); SHOTS_BACKENDS: a ?backends= order (e.g. cpu, on a
// loaded machine where SwiftShader is slow; the top bar then shows that backend). To check a change
// without touching docs/img: SHOTS_OUT (folder, default docs/img), SHOTS_VIEWS (e.g. train,engine;
// default every view), SHOTS_SETS (size-theme list, default 1440-light,1440-dark,390-light; 390-dark
// also works).
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import { VIEWS } from '../src/ui/shell/views.ts';

const PORT = Number(process.env.SHOTS_PORT ?? 4112);
const OUT = process.env.SHOTS_OUT ?? 'docs/img';
const OUT_DIR = 'dist-shots';
const QUERY = `preset=tiny&sampler=uniform&res=16&classes=4&batch=8&steps=4${process.env.SHOTS_BACKENDS ? `&backends=${process.env.SHOTS_BACKENDS}` : ''}`;
const empty = process.argv.includes('--empty');

function listEnv(name: string, fallback: readonly string[], allowed: readonly string[]): string[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const items = raw.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !allowed.includes(s));
  if (bad.length > 0) throw new Error(`${name}: unknown ${bad.join(', ')} (one of ${allowed.join(', ')})`);
  return items;
}
const SETS = ['1440-light', '1440-dark', '390-light', '390-dark'] as const;
const SIZES: Record<string, readonly [number, number]> = { '1440': [1440, 900], '390': [390, 844] };
const shotViews = listEnv('SHOTS_VIEWS', VIEWS, VIEWS);
const shotSets = listEnv('SHOTS_SETS', SETS.slice(0, 3), SETS).map((s) => {
  const [size, theme] = s.split('-');
  return [...SIZES[size], theme as 'light' | 'dark'] as const;
});

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'inherit' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no server at ${url}`);
}

async function fill(page: Page): Promise<void> {
  const T = { timeout: 600_000 };
  await page.getByTestId('rail-train').click();
  await page.getByTestId('train-start').click(T);
  await page.getByTestId('train-state').filter({ hasText: 'done' }).waitFor({ state: 'attached', ...T });
  await page.getByTestId('rail-isometry').click();
  await page.getByTestId('iso-layers').fill('0');
  await page.getByTestId('iso-tile').fill('2');
  await page.getByTestId('iso-run').click(T);
  await page.locator('[data-testid="iso-status"][data-running="false"]').waitFor({ state: 'attached', ...T });
  await page.getByTestId('spectrum-chart').waitFor(T);
  await page.getByTestId('rail-search').click();
  await page.getByTestId('search-population').fill('12');
  await page.getByTestId('search-generations').fill('4');
  await page.getByTestId('search-start').click(T);
  await page.getByTestId('result-row').first().click(T);
  await page.getByTestId('arch-diagram').waitFor(T);
}

async function main(): Promise<void> {
  await run('node_modules/.bin/vite', ['build', '--logLevel', 'warn', '--outDir', OUT_DIR]);
  const server = spawn('node_modules/.bin/vite', ['preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', OUT_DIR], { stdio: 'ignore' });
  try {
    const base = `http://127.0.0.1:${PORT}`;
    await waitForServer(base);
    await mkdir(OUT, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}/?${QUERY}`);
    await page.getByTestId('status').filter({ hasText: 'done' }).waitFor({ state: 'attached', timeout: 120_000 });
    if (!empty) await fill(page);
    const suffix = empty ? '-empty' : '';
    for (const [w, h, theme] of shotSets) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: theme });
      for (const v of shotViews) {
        await page.getByTestId(`rail-${v}`).click();
        await page.evaluate("document.querySelector('.main')?.scrollTo(0, 0)");
        await page.waitForTimeout(300);
        const file = `${OUT}/${v}-${w}-${theme}${suffix}.png`;
        await page.screenshot({ path: file, animations: 'disabled' });
        console.log(file);
      }
      if (!empty && w === 1440 && shotViews.includes('search')) {
        // the picked subnet's block diagram and the timm lines, below the fold of the Search view
        await page.getByTestId('rail-search').click();
        await page.getByTestId('timm-howto').locator('summary').click();
        const file = `${OUT}/search-picked-${w}-${theme}.png`;
        await page.locator('.picked-architecture').screenshot({ path: file, animations: 'disabled' });
        await page.getByTestId('timm-howto').locator('summary').click();
        console.log(file);
      }
    }
    await browser.close();
  } finally {
    server.kill();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
