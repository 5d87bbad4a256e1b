import { expect, test, type Page } from '@playwright/test';
import jpeg from 'jpeg-js';
import { encode as encodePng } from 'fast-png';
import { tarArchive, tarEntry } from '../src/core/data/fixtures/tarWriter.ts';
import { watch } from './smokeCheck.ts';
import { showView } from './views.ts';

// The Data panel over the worker's loadData: a WebDataset tar generated here (solid-colour JPEGs
// and PNGs of two classes, plus one corrupt JPEG) goes through data-file-input; the corrupt image
// is listed by file and key, the thumbnails decoded in the worker have the encoded colours, and a
// tiny run trains on the shard on WebGPU. Tiny config: SwiftShader takes seconds per path.
const TINY = 'backends=webgpu&sampler=uniform&res=16&classes=4&batch=8&steps=50';
const SHARD = 'shard-000.tar';
const SIDE = 20;

interface Made {
  key: string;
  rgb: [number, number, number];
}

function solidRgba(rgb: [number, number, number], w = SIDE, h = SIDE): Uint8Array {
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) px.set([...rgb, 255], i * 4);
  return px;
}

/** 10 good samples (classes 0 and 1; JPEG except every fifth, a PNG) and one corrupt JPEG. */
function makeShard(): { tar: Uint8Array; good: Made[] } {
  const enc = new TextEncoder();
  const entries: Uint8Array[] = [];
  const good: Made[] = [];
  for (let i = 0; i < 10; i++) {
    const key = `img-${String(i).padStart(3, '0')}`;
    const rgb: [number, number, number] = [20 + 20 * i, 100, 220 - 18 * i];
    const png = i % 5 === 4;
    const image = png
      ? encodePng({ width: SIDE, height: SIDE, data: solidRgba(rgb), channels: 4, depth: 8 })
      : new Uint8Array(jpeg.encode({ data: Buffer.from(solidRgba(rgb)), width: SIDE, height: SIDE }, 95).data);
    entries.push(tarEntry(`${key}.cls`, enc.encode(String(i % 2))), tarEntry(`${key}.${png ? 'png' : 'jpg'}`, image));
    good.push({ key, rgb });
    if (i === 5) {
      // the JPEG magic, then garbage: sniffed as JPEG, refused by the decoder
      const corrupt = new Uint8Array(300).map((_, k) => (k < 4 ? [0xff, 0xd8, 0xff, 0xe0][k] : (k * 37) % 251));
      entries.push(tarEntry('corrupt.cls', enc.encode('1')), tarEntry('corrupt.jpg', corrupt));
    }
  }
  return { tar: tarArchive(entries), good };
}

/** The part of a canvas the pixel check reads (this tsconfig has no DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  title: string;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Files in the decode cache's OPFS folder for `side` (runs in the page). */
async function cachedFiles(side: number): Promise<number> {
  interface Dir {
    getDirectoryHandle(name: string): Promise<Dir>;
    keys(): AsyncIterable<string>;
  }
  const storage = (globalThis as unknown as { navigator: { storage: { getDirectory(): Promise<Dir> } } }).navigator.storage;
  try {
    const dir = await (await (await storage.getDirectory()).getDirectoryHandle('isonas-decode-cache')).getDirectoryHandle(String(side));
    let n = 0;
    for await (const _ of dir.keys()) n++;
    return n;
  } catch {
    return 0;
  }
}

const stepOf = async (page: Page) => Number(await page.getByTestId('train-step').innerText());

test('loads a generated tar shard in the worker, lists its corrupt image, and trains on it on WebGPU', async ({ page }) => {
  test.setTimeout(300_000);
  const seen = watch(page);
  await page.goto(`/?${TINY}`);
  await expect(page.getByTestId('backend-label')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('data-selected')).toHaveText(/synthetic/);

  const { tar, good } = makeShard();
  await page.getByTestId('data-cache').check(); // train through the OPFS decode cache
  await page.getByTestId('data-file-input').setInputFiles({ name: SHARD, mimeType: 'application/x-tar', buffer: Buffer.from(tar) });

  // the one bad input, named by file and key
  const errors = page.getByTestId('data-error');
  await expect(errors).toHaveCount(1);
  await expect(errors.first()).toContainText(`${SHARD}, sample "corrupt"`);
  await expect(errors.first()).toHaveAttribute('data-code', 'undecodable-image');
  await expect(errors.first()).toContainText('corrupt or truncated JPEG data (300 bytes)');

  // selected: 10 samples in 2 classes; progress complete
  await expect(page.getByTestId('data-selected')).toContainText(SHARD);
  await expect(page.getByTestId('data-classes')).toHaveAttribute('data-classes', '2');
  await expect(page.getByTestId('data-progress-text')).toContainText('Read 1 of 1 files');
  await expect(page.getByTestId('data-progress-text')).toContainText('10 samples, 1 skipped');
  console.log(`data: ${await page.getByTestId('data-progress-text').innerText()}`);
  const progress = page.getByTestId('data-progress');
  expect(await progress.getAttribute('value')).toBe(String(tar.length));

  // thumbnails decoded in the worker (centre crop, resized): each has its image's colour
  const samples = page.getByTestId('data-sample');
  await expect(samples).toHaveCount(10);
  const means = await samples.evaluateAll((cs) =>
    (cs as unknown as CanvasLike[]).map((c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const m = [0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) m[k] += d[i + k];
      return { title: c.title, mean: m.map((v) => v / (d.length / 4)) };
    }),
  );
  for (const g of good) {
    const t = means.find((m) => m.title.includes(`/ ${g.key}:`));
    expect(t, g.key).toBeDefined();
    for (let k = 0; k < 3; k++) expect(Math.abs(t!.mean[k] - g.rgb[k]), `${g.key} channel ${k}`).toBeLessThan(4);
  }

  // train on it: the head follows the data (2 classes), the counter advances
  await showView(page, 'train');
  await page.getByTestId('train-start').click();
  await expect.poll(() => stepOf(page), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('train-state')).toHaveText('running');
  const loss = Number(await page.getByTestId('loss-chart').getAttribute('data-first-loss'));
  expect(Number.isFinite(loss) && loss > 0).toBe(true);
  // each good image decoded once into the cache (res 16 -> 32 px copies); the corrupt one never
  await expect.poll(() => page.evaluate(cachedFiles, 32), { timeout: 60_000 }).toBe(good.length);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped', { timeout: 60_000 });
  // the corrupt sample, met again while training, is still listed once
  await expect(errors).toHaveCount(1);
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  await expect(page.getByTestId('panel-error')).toHaveCount(0);
  expect(seen.errors).toEqual([]);

  // back to the synthetic data
  await showView(page, 'data');
  await page.getByTestId('data-clear').click();
  await expect(page.getByTestId('data-selected')).toHaveText(/synthetic/);
});
