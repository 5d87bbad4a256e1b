import { expect, test, type Page } from '@playwright/test';
import jpeg from 'jpeg-js';
import { tarArchive, tarEntry } from '../src/core/data/fixtures/tarWriter.ts';
import { watch } from './smokeCheck.ts';
import { showView } from './views.ts';

// A run trained on an uploaded shard survives a reload, and resumes only on the same files
// (src/worker/persist/dataFingerprint.ts): with nothing loaded the resume is refused with a
// message naming the file to drop; after the same shard is uploaded again it resumes from its
// checkpoint. Tiny config: SwiftShader takes seconds per step.
const TINY = 'backends=webgpu&sampler=uniform&res=16&classes=4&batch=8&steps=50&ckpt=2';
const SHARD = 'resume-train-000.tar';
const SIDE = 16;

/** 12 solid-colour JPEGs of two classes. */
function makeShard(): Buffer {
  const enc = new TextEncoder();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < 12; i++) {
    const px = Buffer.alloc(SIDE * SIDE * 4);
    for (let k = 0; k < SIDE * SIDE; k++) px.set([10 + 20 * i, 90, 200 - 15 * i, 255], k * 4);
    const key = `img-${String(i).padStart(3, '0')}`;
    entries.push(tarEntry(`${key}.cls`, enc.encode(String(i % 2))), tarEntry(`${key}.jpg`, new Uint8Array(jpeg.encode({ data: px, width: SIDE, height: SIDE }, 90).data)));
  }
  return Buffer.from(tarArchive(entries));
}

async function openReady(page: Page) {
  await page.goto(`/?${TINY}`);
  await expect(page.getByTestId('backend-label')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('runs-panel')).toHaveAttribute('data-connected', 'true');
}

async function upload(page: Page, tar: Buffer) {
  await showView(page, 'data');
  await page.getByTestId('data-file-input').setInputFiles({ name: SHARD, mimeType: 'application/x-tar', buffer: tar });
  await expect(page.getByTestId('data-selected')).toContainText(SHARD);
}

const stepOf = async (page: Page) => Number(await page.getByTestId('train-step').innerText());
const checkpointOf = async (page: Page) => Number((await page.getByTestId('run-row').first().getAttribute('data-checkpoint-step')) || -1);

test('a run on an uploaded shard resumes after a reload only once the same shard is loaded again', async ({ browser }) => {
  test.setTimeout(480_000);
  const page = await browser.newPage();
  const seen = watch(page);
  const tar = makeShard();
  await openReady(page);
  await upload(page, tar);
  await expect(page.getByTestId('data-split')).toHaveAttribute('data-split', 'fraction');
  await expect(page.getByTestId('data-split')).toContainText('1% of the samples, held out by key hash');

  await showView(page, 'train');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect.poll(() => checkpointOf(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(2);
  await showView(page, 'train');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  const ckpt = await checkpointOf(page);

  // reload: the synthetic data is selected again; the resume is refused, naming the file
  await page.reload();
  await openReady(page);
  await expect(page.getByTestId('data-selected')).toHaveText(/synthetic/);
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('run-resume')).toBeEnabled();
  await showView(page, 'runs');
  await row.getByTestId('run-resume').click();
  const error = page.locator('[data-testid="panel-error"][data-panel="runs"]');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText(`this run trained on 1 file (${SHARD}; `);
  await expect(error).toContainText('drop those same files on the Data panel, then resume (no files are loaded now)');
  await expect(page.getByTestId('train-step')).toHaveText('0');

  // the same shard again: the resume goes on from the checkpoint
  await upload(page, tar);
  await showView(page, 'runs');
  await row.getByTestId('run-resume').click();
  await expect(page.getByTestId('run-resumed')).toHaveAttribute('data-step', String(ckpt));
  await expect(page.getByTestId('train-state')).toHaveText('running');
  await expect.poll(() => stepOf(page), { timeout: 180_000 }).toBeGreaterThan(ckpt);
  await showView(page, 'train');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  expect(seen.errors).toEqual([]);
  await page.close();
});
