import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { importSubnet } from '../src/core/search/export.ts';
import { watch } from './smokeCheck.ts';
import { showView } from './views.ts';

// The Search panel over the worker's search: train the tiny supernet two steps on WebGPU
// (uniform sampler, 16 px: SwiftShader takes seconds per path), stop a long search, run a tiny
// one, pick a subnet, download its JSON and import it back with the core's importSubnet, then
// retrain the picked subnet two steps; reload, resume the run and find the search results again
// (the worker stored them with the run).
const TINY = 'backends=webgpu&preset=tiny&space=bnnas-mbv2&sampler=uniform&res=16&classes=4&batch=8&steps=2';

test('search -> Pareto chart -> pick -> the exported JSON imports back to the same subnet -> retrain', async ({ page }) => {
  test.setTimeout(600_000);
  const seen = watch(page);
  await page.goto(`/?${TINY}`);
  await expect(page.getByTestId('backend-label')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('search-start')).toBeDisabled(); // nothing trained yet
  await showView(page, 'train');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('done', { timeout: 240_000 });
  await expect(page.getByTestId('train-step')).toHaveText('2');

  await showView(page, 'search');
  // A long search stops between generations when asked.
  await page.getByTestId('search-population').fill('200');
  await page.getByTestId('search-generations').fill('1000');
  await page.getByTestId('search-start').click();
  await expect(page.getByTestId('search-status')).toHaveText('running');
  await expect.poll(async () => Number(await page.getByTestId('search-progress').getAttribute('value'))).toBeGreaterThanOrEqual(1);
  await page.getByTestId('search-stop').click();
  await expect(page.getByTestId('search-status')).toHaveText('stopped');
  await expect(page.getByTestId('search-summary')).toContainText('Stopped after');
  await expect(page.getByTestId('search-saved')).toContainText('Stored with run'); // the worker stored the stopped result too
  expect(Number(await page.getByTestId('search-progress').getAttribute('value'))).toBeLessThan(1000);

  // A tiny search runs to the end.
  await page.getByTestId('search-population').fill('10');
  await page.getByTestId('search-generations').fill('4');
  await page.getByTestId('search-rule').selectOption('dirf');
  const limit = Number(await page.getByTestId('search-max-macs-value').getAttribute('data-value'));
  expect(limit).toBeGreaterThan(0);
  await page.getByTestId('search-start').click();
  await expect(page.getByTestId('search-status')).toHaveText('done');
  await expect(page.getByTestId('search-progress')).toHaveAttribute('value', '4');
  // the worker stored the result with the live run before answering (no round trip through the page)
  await expect(page.getByTestId('search-saved')).toContainText('Stored with run');

  const chart = page.getByTestId('pareto-chart');
  const points = Number(await chart.getAttribute('data-points'));
  expect(points).toBeGreaterThanOrEqual(10);
  expect(Number(await chart.getAttribute('data-front'))).toBeGreaterThanOrEqual(1);
  expect(await chart.locator('.recharts-scatter-symbol').count()).toBeGreaterThanOrEqual(points);

  const rows = page.getByTestId('result-row');
  const n = await rows.count();
  expect(n).toBeGreaterThanOrEqual(2);
  expect(n).toBeLessThanOrEqual(Math.min(50, points));
  const fitness = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-fitness'))));
  expect([...fitness].sort((a, b) => b - a)).toEqual(fitness);
  for (const macs of await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-macs'))))) expect(macs).toBeLessThanOrEqual(limit);

  // Pick the second row: its architecture is drawn and its JSON downloads.
  const row = rows.nth(1);
  const arch = (await row.getAttribute('data-arch'))!;
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('arch-strip')).toHaveAttribute('data-arch', arch);
  await expect(page.getByTestId('arch-layer')).toHaveCount(21);
  const link = page.getByTestId('export-json');
  await expect(link).toHaveAttribute('href', /^blob:/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^isonas-bnnas-mbv2-[0-9i]{21}\.json$/);
  const text = await readFile((await download.path())!, 'utf8');
  const sub = importSubnet(text, download.suggestedFilename());
  expect(sub.choices.join(',')).toBe(arch);
  expect(sub).toMatchObject({ space: 'bnnas-mbv2', config: { resolution: 16, widthMult: 0.25, numClasses: 4, identity: true }, seed: 0, init: 'orthogonal' });
  expect(sub.fitness.rule).toBe('dirf');
  expect(sub.fitness.value).toBeCloseTo(fitness[1], 9);
  expect(sub.reference.macs).toBe(Number(await row.getAttribute('data-macs')));
  expect(sub.indicators.layers).toHaveLength(21);

  // The timm arch_def goes with it (MobileNetV2 space).
  await expect(page.getByTestId('export-timm')).toHaveAttribute('href', /^blob:/);
  const timm = JSON.parse(await page.getByTestId('timm-text').textContent() ?? '') as { arch_def: string[][]; expected: { macs: number } };
  expect(timm.expected.macs).toBe(sub.reference.macs);
  expect(timm.arch_def.length).toBeGreaterThan(0);

  // Retrain the picked subnet from scratch: two steps, one held-out batch.
  await showView(page, 'retrain');
  await expect(page.getByTestId('retrain-subnet')).toContainText('Subnet:');
  await page.getByTestId('retrain-steps').fill('2');
  await page.getByTestId('retrain-eval-batches').fill('1');
  await page.getByTestId('retrain-eval-every').fill('0');
  await page.getByTestId('retrain-start').click();
  await expect(page.getByTestId('retrain-status')).toHaveText('done', { timeout: 180_000 });
  await expect(page.getByTestId('retrain-step')).toHaveText('2');
  await expect(page.getByTestId('retrain-loss-chart')).toHaveAttribute('data-points', '2');
  const top1 = Number(await page.getByTestId('retrain-top1').getAttribute('data-value'));
  const top5 = Number(await page.getByTestId('retrain-top5').getAttribute('data-value'));
  expect(top1 >= 0 && top1 <= top5 && top5 <= 1).toBe(true);
  await expect(page.getByTestId('retrain-eval')).toHaveCount(1);
  await expect(page.getByTestId('retrain-checkpoint')).toHaveAttribute('href', /^blob:/);

  // The search results were stored with the run: after a reload, resuming the run brings them back.
  const archs = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-arch')));
  await page.reload();
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('result-row')).toHaveCount(0);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await showView(page, 'runs');
  await page.getByTestId('run-row').getByTestId('run-resume').click();
  await expect(page.getByTestId('search-status')).toHaveText('done');
  await expect(page.getByTestId('search-saved')).toContainText('Stored with run');
  expect(await page.getByTestId('result-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-arch')))).toEqual(archs);
  await showView(page, 'search');
  await page.getByTestId('result-row').nth(1).click();
  await expect(page.getByTestId('export-json')).toHaveAttribute('href', /^blob:/);

  await expect(page.getByTestId('engine-error')).toHaveCount(0);

  await expect(page.getByTestId('panel-error')).toHaveCount(0);
  expect(seen.errors).toEqual([]);
  const origin = new URL(page.url()).origin;
  expect(seen.urls.filter((u) => !u.startsWith('blob:') && new URL(u).origin !== origin)).toEqual([]);
});
