import { expect, test, type Page } from '@playwright/test';
import { watch } from './smokeCheck.ts';
import { showView } from './views.ts';

// Live isometry in the page (docs/isometry.md, "Live watching"): a tiny run on the cpu backend
// with two watched modules of layer 1 (`?watch=`), the heat strip growing as frames stream, pause
// and resume, a second run (he-normal) compared with the first in Runs, the comparison reproduced
// from its URL, and the stored spectra back on a resume. Behaviour only; cpu keeps it cheap.
const TINY = 'backends=cpu&sampler=uniform&res=16&classes=4&batch=8&steps=400&ckpt=2&watch=1:0,-1&watchShare=0.5';

async function openReady(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('runs-panel')).toHaveAttribute('data-connected', 'true');
}

const framesOf = async (page: Page) => Number((await page.getByTestId('train-watch-strip').getAttribute('data-frames')) ?? 0);
const checkpointOf = async (page: Page, i: number) => Number((await page.getByTestId('run-row').nth(i).getAttribute('data-checkpoint-step')) || -1);

async function trainAndStop(page: Page, minFrames: number) {
  await page.getByTestId('train-start').click();
  await expect.poll(() => framesOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(minFrames);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  await expect.poll(() => checkpointOf(page, 0), { timeout: 60_000 }).toBeGreaterThanOrEqual(minFrames);
}

test('watched spectra stream into the heat strip, survive pause and resume, and two runs compare side by side', async ({ browser }) => {
  test.setTimeout(300_000);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const seen = watch(page);
  await openReady(page, `/?${TINY}&view=train`);
  await expect(page.getByTestId('train-watch-list')).toHaveValue('1:0,-1');

  // run A (orthogonal): the strip appears and grows; hovering shows that step's histogram
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-watch-modules')).toHaveAttribute('data-count', '2');
  await expect.poll(() => framesOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  const early = await framesOf(page);
  await expect.poll(() => framesOf(page), { timeout: 120_000 }).toBeGreaterThan(early);
  await expect(page.getByTestId('train-watch-strip')).toHaveAttribute('data-layer', '1');
  await expect(page.getByTestId('train-watch-multiple')).toHaveCount(2);
  await showView(page, 'isometry');
  await expect(page.getByTestId('iso-watch-strip')).toBeVisible(); // the Isometry view shows the same series
  await showView(page, 'train');

  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('train-state')).toHaveText('paused', { timeout: 60_000 });
  const paused = await framesOf(page);
  const strip = page.getByTestId('train-watch-strip').locator('svg rect').last();
  await strip.hover({ position: { x: 2, y: 40 } });
  await expect(page.getByTestId('train-watch-step-hist')).toContainText('Hovered frame: after step 1');
  await page.getByTestId('train-resume').click();
  await expect.poll(() => framesOf(page), { timeout: 120_000 }).toBeGreaterThan(paused);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });

  // a list that does not fit the supernet is refused with a message naming the bad part
  await page.getByTestId('train-watch-list').fill('99');
  await page.getByTestId('train-watch-list').press('Enter');
  await expect(page.getByTestId('train-watch-problem')).toContainText('layer 99');
  await page.getByTestId('train-watch-list').fill('1:0,-1');
  await page.getByTestId('train-watch-list').press('Enter');
  await expect(page.getByTestId('train-watch-problem')).toHaveCount(0);

  // run B (he-normal), then compare A and B in Runs
  await openReady(page, `/?${TINY}&init=he-normal&view=train`);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await trainAndStop(page, 2);
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  const idB = await page.getByTestId('run-row').nth(0).getAttribute('data-run-id');
  const idA = await page.getByTestId('run-row').nth(1).getAttribute('data-run-id');
  if (idA === null || idB === null) throw new Error('no run ids');
  await showView(page, 'runs');
  await page.getByTestId('cmp-a').selectOption(idA);
  await page.getByTestId('cmp-b').selectOption(idB);
  await page.getByTestId('cmp-go').click();
  const cmp = page.getByTestId('run-compare');
  await expect(cmp).toHaveAttribute('data-state', 'compared');
  await expect(page.getByTestId('cmp-strip-a')).toHaveAttribute('data-frames', /^[1-9]/);
  await expect(page.getByTestId('cmp-strip-b')).toHaveAttribute('data-frames', /^[1-9]/);
  await expect(page.getByTestId('cmp-heatmap-a')).toBeVisible();
  await expect(page.getByTestId('cmp-diff-heatmap')).toBeVisible();
  const layers = await page.getByTestId('cmp-heatmap-a').getByTestId('indicator-heatmap').getAttribute('data-layers');
  await expect(page.getByTestId('cmp-tau')).toHaveCount(Number(layers));
  await page.getByTestId('cmp-module').selectOption('1:0');
  const url = new URL(page.url());
  expect(url.searchParams.get('cmpA')).toBe(idA);
  expect(url.searchParams.get('cmpB')).toBe(idB);
  expect(url.searchParams.get('cmpLayer')).toBe('1');
  expect(url.searchParams.get('cmpChoice')).toBe('0');

  // the URL reproduces the comparison
  await openReady(page, url.pathname + url.search);
  await expect(page.getByTestId('run-compare')).toHaveAttribute('data-state', 'compared');
  await expect(page.getByTestId('cmp-module')).toHaveValue('1:0');

  // resuming run A brings its stored spectra back before new ones stream
  const rowA = page.locator(`[data-testid="run-row"][data-run-id="${idA}"]`);
  const storedA = Number(await page.getByTestId('cmp-strip-a').getAttribute('data-frames'));
  await rowA.getByTestId('run-resume').click();
  await expect(page.getByTestId('run-resumed')).toHaveAttribute('data-run-id', idA);
  await expect.poll(() => framesOf(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(storedA);
  await showView(page, 'train');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  expect(seen.errors).toEqual([]);
  await page.close();
});
