import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watch } from './smokeCheck.ts';
import { showView } from './views.ts';

// Runs kept in IndexedDB (src/worker/persist/): a tiny run on WebGPU is checkpointed every 2 steps
// (?ckpt=2), survives a reload in the middle of training, resumes from its checkpoint with the
// step counter continued, and goes out and back in as one file. Behaviour only.
const TINY = 'backends=webgpu&sampler=uniform&res=16&classes=4&batch=8&steps=50&ckpt=2';

async function openReady(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByTestId('backend-label')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('runs-panel')).toHaveAttribute('data-connected', 'true');
}

const stepOf = async (page: Page) => Number(await page.getByTestId('train-step').innerText());
const checkpointOf = async (page: Page) => Number((await page.getByTestId('run-row').first().getAttribute('data-checkpoint-step')) || -1);

test('a run survives a reload mid-training, resumes from its checkpoint, exports, deletes and imports', async ({ browser }, testInfo) => {
  test.setTimeout(420_000);
  const page = await browser.newPage();
  const seen = watch(page);
  await openReady(page, `/?${TINY}`);
  await expect(page.getByTestId('run-row')).toHaveCount(0);
  await showView(page, 'train');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-status', 'running');
  await expect.poll(() => checkpointOf(page), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);

  // a reload while running: the run is listed, cut off, with its last checkpoint
  await page.reload();
  await openReady(page, `/?${TINY}`);
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'interrupted');
  const ckpt = await checkpointOf(page);
  expect(ckpt).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('train-step')).toHaveText('0');

  await showView(page, 'runs');
  await row.getByTestId('run-resume').click();
  await expect(page.getByTestId('run-resumed')).toHaveAttribute('data-step', String(ckpt));
  await expect(page.getByTestId('train-state')).toHaveText('running');
  // the counter continues from the checkpoint (not 0), and the curves hold the stored history
  expect(await stepOf(page)).toBeGreaterThanOrEqual(ckpt);
  await expect.poll(() => stepOf(page), { timeout: 180_000 }).toBeGreaterThan(ckpt);
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThan(ckpt);
  await showView(page, 'train');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  await expect(row).toHaveAttribute('data-status', 'stopped');
  const stopped = await stepOf(page);
  await expect(row).toHaveAttribute('data-checkpoint-step', String(stopped));

  // export -> one file; delete; import it back
  await showView(page, 'runs');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('run-export').click()]);
  expect(download.suggestedFilename()).toMatch(/\.isonas-run$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('latin1')).toBe('ISONASRN');
  await row.getByTestId('run-delete').click();
  await expect(page.getByTestId('run-row')).toHaveCount(0);
  await page.getByTestId('run-import').setInputFiles(file);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-checkpoint-step', String(stopped));
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  await expect(page.getByTestId('panel-error')).toHaveCount(0);

  // a foreign file is refused with a message naming it
  await page.getByTestId('run-import').setInputFiles({ name: 'notes.isonas-run', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  const refused = page.locator('[data-testid="panel-error"][data-panel="runs"]');
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText('notes.isonas-run: not an IsoNAS run file');
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  await expect(page.getByTestId('panel-error')).toHaveCount(1); // that one message, nothing else
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  expect(seen.errors).toEqual([]);
  await page.close();
});

test('a WebGPU device loss is reported and the run resumes from its last checkpoint', async ({ browser }) => {
  test.setTimeout(420_000);
  const page = await browser.newPage();
  await openReady(page, `/?${TINY}&debug=1`);
  await showView(page, 'train');
  await page.getByTestId('train-start').click();
  await expect.poll(() => checkpointOf(page), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);
  await showView(page, 'runs');
  await page.getByTestId('debug-lose-device').click();
  await expect(page.getByTestId('device-lost')).toHaveCount(1);
  await expect(page.getByTestId('device-lost')).toContainText('WebGPU device lost');
  // rebuilt on a fresh device from the last checkpoint, and training on from its step
  const resumed = page.getByTestId('run-resumed');
  await expect(resumed).toContainText('after the device loss', { timeout: 120_000 });
  const from = Number(await resumed.getAttribute('data-step'));
  expect(from).toBeGreaterThanOrEqual(2);
  expect(await stepOf(page)).toBeGreaterThanOrEqual(from);
  await expect(page.getByTestId('train-state')).toHaveText('running');
  await expect.poll(() => stepOf(page), { timeout: 180_000 }).toBeGreaterThan(from);
  await expect(page.getByTestId('backend-label')).toHaveAttribute('data-backend', 'webgpu');
  // the step that failed on the lost device is the loss's, not a second error
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
  await showView(page, 'train');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  await page.close();
});
