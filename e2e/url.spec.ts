import { expect, test } from '@playwright/test';
import { watch } from './smokeCheck.ts';
import { showView } from './views.ts';

// The whole setup lives in the URL query: first open writes the tiny preset, a change rewrites
// the query, a reload restores it, and invalid values are reported and fall back.

test('the setup round-trips through the URL', async ({ page }) => {
  const seen = watch(page);
  await page.goto('/?view=supernet');
  await expect(page).toHaveURL(/[?&]preset=tiny(&|$)/);
  await expect(page).toHaveURL(/[?&]res=16(&|$)/);
  // the default setup is the demo, and both panels say so
  await expect(page).toHaveURL(/[?&]space=demo-mbv2(&|$)/);
  await expect(page.getByTestId('space-role')).toHaveAttribute('data-role', 'demo');
  await expect(page.getByTestId('demo-note')).toContainText("paper's spaces");
  await expect(page.getByTestId('topbar-demo')).toContainText("demo: 2-layer net, 4 classes · load shards for the paper's spaces");
  const seed = page.getByTestId('setting-seed');
  await expect(seed).toHaveValue('0');
  await seed.fill('42');
  await expect(page).toHaveURL(/[?&]seed=42(&|$)/);
  await page.getByTestId('setting-sampler').selectOption('uniform');
  await expect(page).toHaveURL(/[?&]sampler=uniform(&|$)/);
  await expect(page.getByTestId('cost-largest')).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('setting-seed')).toHaveValue('42');
  await expect(page.getByTestId('setting-sampler')).toHaveValue('uniform');
  await expect(page.getByTestId('url-issue')).toHaveCount(0);
  await expect(page.getByTestId('status')).toHaveText('done');
  expect(seen.errors).toEqual([]);
});

test('a preset link applies it; invalid values are reported and fall back', async ({ page }) => {
  await page.goto('/?preset=small&res=abc&lr=0.05&backends=cpu&view=supernet');
  await expect(page.getByTestId('url-issue')).toHaveText(['Resolution (res=abc in the link) must be a whole number from 8 to 512; using 64']);
  await expect(page.getByTestId('setting-res')).toHaveValue('64');
  await expect(page.getByTestId('setting-classes')).toHaveValue('1000');
  await expect(page.getByTestId('setting-lr')).toHaveValue('0.05');
  await expect(page).toHaveURL(/[?&]res=64(&|$)/);
  await expect(page).toHaveURL(/[?&]backends=cpu(&|$)/);
  await expect(page.getByTestId('backend-label')).toHaveAttribute('data-backend', 'cpu');

  await page.getByTestId('setting-res').fill('7');
  await expect(page.getByTestId('setting-res-error')).toHaveText('Resolution must be a whole number from 8 to 512');
  await expect(page.getByTestId('train-blocked')).toHaveText('Resolution must be a whole number from 8 to 512');
  await expect(page).toHaveURL(/[?&]res=64(&|$)/);
  await page.getByTestId('setting-res').fill('96');
  await expect(page.getByTestId('setting-res-error')).toHaveCount(0);
  await expect(page.getByTestId('train-blocked')).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]res=96(&|$)/);

  // the panels' number boxes (CheckedInput) refuse invalid text the same way
  await showView(page, 'search');
  await page.getByTestId('search-population').fill('1');
  await expect(page.getByTestId('search-population')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('search-population-error')).toHaveText('Population must be a whole number from 2 to 1,000');
  await expect(page.getByTestId('search-blocked')).toHaveText('Population must be a whole number from 2 to 1,000');
  await showView(page, 'data');
  await page.getByTestId('data-val-fraction').fill('1');
  await expect(page.getByTestId('data-val-fraction-error')).toHaveText('Held-out fraction must be a number at least 0 and below 1');
  await page.getByTestId('data-val-fraction').fill('0.05');
  await expect(page.getByTestId('data-val-fraction-error')).toHaveCount(0);
  await expect(page.getByTestId('data-val-fraction')).toHaveAttribute('aria-invalid', 'false');
});
