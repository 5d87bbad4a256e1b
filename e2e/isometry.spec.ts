import { expect, test } from '@playwright/test';
import { watch } from './smokeCheck.ts';

// The Isometry panel over the worker's analysis (src/worker/isometry.ts) on the default backend
// (WebGPU on SwiftShader here). Tiny setup from the URL and one early layer on a 2 px tile, so the
// analysis is cheap; behaviour only (numbers are checked by the unit tests against the core).
const TINY = 'preset=tiny&space=bnnas-mbv2&res=16&classes=4&batch=4';

test('analyses one layer under orthogonal and he-normal: spectrum bars for both, moments, depth profile; stop ends early', async ({ page }) => {
  test.setTimeout(300_000);
  const seen = watch(page);
  await page.goto(`/?${TINY}&view=isometry`);
  const run = page.getByTestId('iso-run');
  await expect(run).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('iso-init-orthogonal')).toBeChecked();
  await expect(page.getByTestId('iso-init-he-normal')).toBeChecked();
  await page.getByTestId('iso-layers').fill('0');
  await page.getByTestId('iso-tile').fill('2');
  await run.click();

  const chart = page.getByTestId('spectrum-chart');
  await expect(chart).toHaveAttribute('data-series', '2', { timeout: 240_000 });
  // two bar series (one per init), each with bars drawn, and both named in the legend
  await expect(chart.locator('g.recharts-bar')).toHaveCount(2);
  expect(await chart.locator('path.recharts-rectangle').count()).toBeGreaterThan(2);
  const legend = await chart.locator('.recharts-legend-item-text').allInnerTexts();
  expect(legend.sort()).toEqual(['he-normal, at init', 'orthogonal, at init']);
  // layer 0 of bnnas-mbv2 offers 6 candidates (no identity): one row per candidate and init
  await expect(page.getByTestId('iso-moment-row')).toHaveCount(12);
  await expect(page.getByTestId('iso-progress')).toHaveAttribute('value', '12');
  await expect(page.getByTestId('iso-depth-var').locator('path.recharts-line-curve')).toHaveCount(2);
  await expect(page.getByTestId('iso-depth-grad').locator('path.recharts-line-curve')).toHaveCount(2);

  // Every layer: stop after the first module; the analysis answers early and the panel says so.
  await page.getByTestId('iso-layers').fill('');
  await run.click();
  await expect(page.getByTestId('iso-progress')).toHaveAttribute('value', /^[1-9]/, { timeout: 120_000 });
  await page.getByTestId('iso-stop').click();
  await expect(page.getByTestId('iso-status')).toContainText('stopped early', { timeout: 120_000 });
  await expect(run).toBeEnabled();
  expect(Number(await page.getByTestId('iso-progress').getAttribute('value'))).toBeLessThan(Number(await page.getByTestId('iso-progress').getAttribute('max')));

  await expect(page.getByTestId('engine-error')).toHaveCount(0);

  await expect(page.getByTestId('panel-error')).toHaveCount(0);
  expect(seen.errors).toEqual([]);
});
