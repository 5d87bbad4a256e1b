import { expect, test, type Page } from '@playwright/test';
import jpeg from 'jpeg-js';
import { tarArchive, tarEntry } from '../src/core/data/fixtures/tarWriter.ts';
import { watch } from './smokeCheck.ts';
import { showView } from './views.ts';

// Inputs and errors of the workbench (docs/app.md): an invalid box keeps its action off with the
// reason and never reaches the URL or a run; files picked while the engine starts are read once it
// is ready; the setup follows the loaded data's classes and names; a refused Resume is shown in
// the Runs panel and a later success clears it. Tiny shapes: SwiftShader takes seconds per step.
const TINY = 'sampler=uniform&res=16&batch=8&steps=50&ckpt=1';
const SIDE = 16;

/** `n` solid-colour JPEGs with numeric labels 0..classes-1 (no synset: not ImageNet data). */
function makeShard(n: number, classes: number): Buffer {
  const enc = new TextEncoder();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const px = Buffer.alloc(SIDE * SIDE * 4);
    for (let k = 0; k < SIDE * SIDE; k++) px.set([10 + 15 * i, 90, 200 - 10 * i, 255], k * 4);
    const key = `img-${String(i).padStart(3, '0')}`;
    entries.push(tarEntry(`${key}.cls`, enc.encode(String(i % classes))), tarEntry(`${key}.jpg`, new Uint8Array(jpeg.encode({ data: px, width: SIDE, height: SIDE }, 90).data)));
  }
  return Buffer.from(tarArchive(entries));
}

async function ready(page: Page) {
  await expect(page.getByTestId('status')).toHaveText('done', { timeout: 60_000 });
}

test('an invalid Resolution keeps Start off with the reason, and reaches neither the URL nor a run', async ({ page }) => {
  const seen = watch(page);
  await page.goto(`/?${TINY}`);
  await ready(page);
  await expect(page.getByTestId('runs-panel')).toHaveAttribute('data-connected', 'true');
  const runsBefore = await page.getByTestId('run-row').count();
  await showView(page, 'supernet');
  await page.getByLabel('Resolution (px)').fill('1600');
  const reason = 'Resolution must be a whole number from 8 to 512';
  await expect(page.getByTestId('setting-res-error')).toHaveText(reason);
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-blocked')).toHaveText(reason);
  await expect(page).toHaveURL(/[?&]res=16(&|$)/);
  await showView(page, 'train');
  await page.getByTestId('train-start').click({ force: true }); // a disabled button builds nothing
  await expect(page.getByTestId('run-row')).toHaveCount(runsBefore);
  await expect(page.getByTestId('train-state')).toHaveText('idle');
  // Steps 2.5 is refused the same way; fixing both turns Start on again
  await showView(page, 'supernet');
  await page.getByLabel('Resolution (px)').fill('16');
  await page.getByTestId('setting-steps').fill('2.5');
  await expect(page.getByTestId('train-blocked')).toHaveText('Steps must be a whole number from 1 to 1,000,000');
  await expect(page).toHaveURL(/[?&]steps=50(&|$)/);
  await page.getByTestId('setting-steps').fill('50');
  await expect(page.getByTestId('train-blocked')).toHaveCount(0);
  await expect(page.getByTestId('train-start')).toBeEnabled();
  expect(seen.errors).toEqual([]);
});

test('files picked while the engine starts are read once it is ready; the setup follows their 8 classes and names', async ({ page }) => {
  const seen = watch(page);
  await page.goto(`/?${TINY}&classes=10`);
  // picked at once, before the engine is ready (the status is still starting or smoke)
  await page.getByTestId('data-file-input').setInputFiles({ name: 'eight-000.tar', mimeType: 'application/x-tar', buffer: makeShard(16, 8) });
  await ready(page);
  await expect(page.getByTestId('data-selected')).toContainText('eight-000.tar');
  await expect(page.getByTestId('data-classes')).toHaveAttribute('data-classes', '8');
  const names = (await page.getByTestId('data-classes').getAttribute('data-names')) ?? '';
  expect(names.split('|').sort()).toEqual(Array.from({ length: 8 }, (_, k) => `class ${k}`).sort()); // not ImageNet's names
  await expect(page.getByTestId('setting-classes')).toHaveValue('8');
  await expect(page).toHaveURL(/[?&]classes=8(&|$)/);
  await expect(page.getByTestId('supernet-data')).toContainText('(eight-000.tar), 8 classes');
  // declared ImageNet indices: ImageNet names
  await showView(page, 'data');
  await page.getByTestId('data-imagenet-tick').check();
  await expect(page.getByTestId('data-classes')).toContainText('tench');
  // fewer classes than the data has: refused with the reason
  await showView(page, 'supernet');
  await page.getByTestId('setting-classes').fill('7');
  await expect(page.getByTestId('train-blocked')).toHaveText('Classes must be at least 8: the loaded data has 8 classes');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await page.getByTestId('setting-classes').fill('12');
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  expect(seen.errors).toEqual([]);
});

test('a refused Resume shows its message in the Runs panel; a later success clears it', async ({ page }) => {
  test.setTimeout(360_000);
  const seen = watch(page);
  const tar = makeShard(8, 2);
  const upload = async () => {
    await page.getByTestId('data-file-input').setInputFiles({ name: 'resume-000.tar', mimeType: 'application/x-tar', buffer: tar });
    await expect(page.getByTestId('data-selected')).toContainText('resume-000.tar');
  };
  await page.goto(`/?${TINY}`);
  await ready(page);
  await upload();
  await showView(page, 'train');
  await page.getByTestId('train-start').click();
  const row = page.getByTestId('run-row').first();
  await expect.poll(async () => Number((await row.getAttribute('data-checkpoint-step')) || -1), { timeout: 240_000 }).toBeGreaterThanOrEqual(1);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });

  await showView(page, 'data');
  await page.getByTestId('data-clear').click();
  await expect(page.getByTestId('data-selected')).toHaveText(/synthetic/);
  await showView(page, 'runs');
  await row.getByTestId('run-resume').click();
  const refused = page.locator('[data-testid="panel-error"][data-panel="runs"]');
  await expect(refused).toContainText('resume-000.tar');
  await expect(page.getByTestId('engine-error')).toHaveCount(0);

  await upload();
  await row.getByTestId('run-resume').click();
  await expect(page.getByTestId('run-resumed')).toBeVisible();
  await expect(refused).toHaveCount(0);
  await showView(page, 'train');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  expect(seen.errors).toEqual([]);
});
