import { expect, test, type Page } from '@playwright/test';
import { watch } from './smokeCheck.ts';
import { showView } from './views.ts';

// Charts that explain themselves, cheaply (cpu backend, 16 px, three uniform steps, one layer of
// isometry, a tiny search): every chart on the Train, Isometry and Search views carries an x and
// a y axis title; top-1 is in %; the heatmap has a colour bar, a scale choice that changes the
// colours, and never-trained cells apart; the spectrum has its isometry line; hovering a Pareto
// point shows its architecture and clicking it picks the subnet.
const TINY = 'preset=tiny&space=bnnas-mbv2&sampler=uniform&res=16&classes=4&batch=4&steps=3&backends=cpu';

async function axesTitled(page: Page, view: string): Promise<number> {
  const charts = page.getByTestId(`view-${view}`).locator('[data-chart]');
  const n = await charts.count();
  for (let i = 0; i < n; i++) {
    const c = charts.nth(i);
    const name = await c.getAttribute('data-chart');
    for (const axis of ['x', 'y']) {
      const title = c.locator(`.axis-title[data-axis="${axis}"], .axis-title-${axis}`).first();
      await expect(title, `${view}: ${name} has a ${axis} axis title`).toHaveText(/\S/);
    }
  }
  return n;
}

test('every chart names its axes; heatmap scales, colour bar and untrained cells; spectrum isometry line; Pareto hover and pick', async ({ page }) => {
  test.setTimeout(480_000);
  const seen = watch(page);
  await page.goto(`/?${TINY}&view=train`);
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('done', { timeout: 240_000 });

  // Train: loss and top-1 (in %), the heatmap
  expect(await axesTitled(page, 'train')).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('acc-chart').locator('.axis-title[data-axis="y"]')).toContainText('%');
  const yTicks = await page.getByTestId('acc-chart').locator('g.axis text:not(.axis-title)').allTextContents();
  expect(yTicks).toContain('100');
  const heat = page.getByTestId('indicator-heatmap');
  // three one-path steps over 21 layers leave most candidates untrained: drawn apart, not coloured
  const untrained = Number(await heat.getAttribute('data-untrained'));
  expect(untrained).toBeGreaterThan(0);
  await expect(heat.locator('[data-untrained="true"]')).toHaveCount(untrained);
  expect(await heat.locator('[data-untrained="true"][style*="background"]').count()).toBe(0);
  await expect(page.getByTestId('heat-colourbar')).toContainText('never trained');
  const colours = () => heat.locator('[data-t]').evaluateAll((els) => els.map((e) => (e as unknown as { style: { backgroundColor: string } }).style.backgroundColor));
  const linear = await colours();
  await page.getByTestId('heat-scale-rank').check();
  await expect(heat).toHaveAttribute('data-scale', 'rank');
  await expect(page.getByTestId('heat-colourbar')).toContainText('highest in its layer');
  expect(await colours()).not.toEqual(linear);
  await page.getByTestId('heat-scale-log').check();
  await expect(heat).toHaveAttribute('data-scale', 'log');

  // Isometry: one init, one layer
  await showView(page, 'isometry');
  await page.getByTestId('iso-init-he-normal').uncheck();
  await page.getByTestId('iso-layers').fill('0');
  await page.getByTestId('iso-tile').fill('2');
  await page.getByTestId('iso-run').click();
  const spectrum = page.getByTestId('spectrum-chart');
  await expect(spectrum).toHaveAttribute('data-series', '1', { timeout: 240_000 });
  await expect(spectrum.locator('.recharts-reference-line')).toHaveCount(1);
  await expect(spectrum.locator('.iso-ref-label')).toContainText('isometry');
  await expect(page.getByTestId('iso-depth-var')).toBeVisible();
  expect(await axesTitled(page, 'isometry')).toBeGreaterThanOrEqual(3);

  // Search: hover a top point -> its architecture; click -> picked
  await showView(page, 'search');
  await page.getByTestId('search-population').fill('8');
  await page.getByTestId('search-generations').fill('2');
  await page.getByTestId('search-start').click();
  await expect(page.getByTestId('result-row').first()).toBeVisible({ timeout: 120_000 });
  expect(await axesTitled(page, 'search')).toBeGreaterThanOrEqual(1);
  const pareto = page.getByTestId('pareto-chart');
  // the top subnets' dots (the front is drawn over some of them; the card follows the pointer)
  const dots = pareto.locator('.recharts-scatter-symbol path[fill="var(--cat-1)"]');
  expect(await dots.count()).toBeGreaterThan(0);
  const box = (await dots.last().boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('pareto-card').getByTestId('arch-mini')).toBeVisible();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.locator('[data-testid="result-row"][aria-selected="true"]')).toHaveCount(1);

  expect(seen.errors).toEqual([]);
});
