import { expect, test, type Page } from '@playwright/test';
import { watch } from './smokeCheck.ts';

// The Training panel over the worker's session: BN-only supernet training of src/core on the
// built-in synthetic data. Tiny config from the URL (uniform sampler: one path per step, since
// SwiftShader takes seconds per path); behaviour only, speed is a benchmark's business.
const TINY = 'space=bnnas-mbv2&sampler=uniform&res=16&classes=4&batch=8&steps=50&view=train';

async function openReady(page: Page, path: string, backend: string) {
  const seen = watch(page);
  await page.goto(path);
  await expect(page.getByTestId('backend-label')).toHaveAttribute('data-backend', backend);
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  return seen;
}

const stepOf = async (page: Page) => Number(await page.getByTestId('train-step').innerText());

async function firstLoss(page: Page): Promise<number> {
  const chart = page.getByTestId('loss-chart');
  await expect(chart).toHaveAttribute('data-first-loss', /\d/, { timeout: 180_000 });
  return Number(await chart.getAttribute('data-first-loss'));
}

test('trains on WebGPU with live charts and heatmap; pause holds, resume continues; first loss equals cpu', async ({ browser }) => {
  test.setTimeout(420_000);
  const page = await browser.newPage();
  const seen = await openReady(page, `/?${TINY}&backends=webgpu`, 'webgpu');
  await expect(page.getByTestId('train-state')).toHaveText('idle');
  await page.getByTestId('train-start').click();
  await expect.poll(() => stepOf(page), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('train-state')).toHaveText('running');

  const chart = page.getByTestId('loss-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(2); // redrawn at most every 250 ms
  await expect(chart.locator('svg path.curve-line')).toHaveCount(1);
  // the readout follows the pointer to the nearest step
  await chart.locator('svg rect').last().hover();
  await expect(chart.getByTestId('curve-readout')).toContainText(/^step \d+: \d+\.\d{4}$/);
  await expect(page.getByTestId('train-throughput')).toContainText('images/s');

  // bnnas-mbv2: 21 searchable layers x (identity + 6 candidates); identity only on normal layers
  const heatmap = page.getByTestId('indicator-heatmap');
  await expect(heatmap).toHaveAttribute('data-layers', '21');
  await expect(heatmap).toHaveAttribute('data-columns', '7');
  await expect(heatmap.getByTestId('indicator-cell')).toHaveCount(21 * 7);
  const scored = heatmap.locator('[data-testid="indicator-cell"][data-score]');
  expect(await scored.count()).toBeGreaterThan(21 * 6);
  for (const v of await scored.evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-score'))))) {
    expect(Number.isFinite(v) && v > 0).toBe(true);
  }

  // pause is answered after the step in flight; then the counter holds
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('train-state')).toHaveText('paused', { timeout: 60_000 });
  const held = await stepOf(page);
  await page.waitForTimeout(4_000);
  expect(await stepOf(page)).toBe(held);
  await page.getByTestId('train-resume').click();
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThan(held);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  const gpu = await firstLoss(page);
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
  expect(seen.errors).toEqual([]);
  await page.close();

  // The cpu backend (?backends=cpu) on the same URL: same seed, batch and path.
  const cpuPage = await browser.newPage();
  const cpuSeen = await openReady(cpuPage, `/?${TINY}&backends=cpu`, 'cpu');
  await cpuPage.getByTestId('train-start').click();
  const cpu = await firstLoss(cpuPage);
  await cpuPage.getByTestId('train-stop').click();
  await expect(cpuPage.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  await expect(cpuPage.getByTestId('engine-error')).toHaveCount(0);
  await expect(cpuPage.getByTestId('panel-error')).toHaveCount(0);
  expect(cpuSeen.errors).toEqual([]);

  // finite, and in the range of a 4-class cross-entropy
  expect(cpu).toBeGreaterThan(0.5);
  expect(cpu).toBeLessThan(5);
  // The first step's loss (computed before any update) agrees to 4 decimals. Later steps are not
  // compared: at this size training is chaotic (measured on cpu: scaling the inputs by
  // 1 +/- 1e-6 moves the step-1 loss from 1.594 to 1.325), so float32 rounding differences
  // between backends legitimately grow after the first update.
  expect(Math.abs(gpu - cpu)).toBeLessThanOrEqual(2e-4);
});
