// Shared checks for the smoke page: expected numbers computed independently (plain JS, float64),
// console/page/worker errors, and the same-origin rule for every request.

import { expect, type Page } from '@playwright/test';

/**
 * The smoke computation of src/worker/protocol/engine.ts, recomputed in plain JS:
 *   x [1,8,8,3] NHWC, x[k] = ((7k) mod 11 - 5) / 5;  w [3,3,3,4] HWIO, w[k] = ((5k) mod 13 - 6) / 6
 *   y = conv2d(x, w, stride 1, 'valid') -> [1,6,6,4];  per-channel mean and population variance.
 */
export function expectedMoments(): { outShape: number[]; mean: number[]; variance: number[] } {
  const [H, W, C] = [8, 8, 3];
  const [KH, KW, CO] = [3, 3, 4];
  const x = (h: number, w: number, c: number) => (((7 * ((h * W + w) * C + c)) % 11) - 5) / 5;
  const f = (i: number, j: number, c: number, o: number) =>
    (((5 * (((i * KW + j) * C + c) * CO + o)) % 13) - 6) / 6;
  const [OH, OW] = [H - KH + 1, W - KW + 1];
  const ys: number[][] = Array.from({ length: CO }, () => []);
  for (let oh = 0; oh < OH; oh++)
    for (let ow = 0; ow < OW; ow++)
      for (let o = 0; o < CO; o++) {
        let s = 0;
        for (let i = 0; i < KH; i++)
          for (let j = 0; j < KW; j++) for (let c = 0; c < C; c++) s += x(oh + i, ow + j, c) * f(i, j, c, o);
        ys[o].push(s);
      }
  const mean = ys.map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const variance = ys.map((v, o) => v.reduce((a, b) => a + (b - mean[o]) ** 2, 0) / v.length);
  return { outShape: [1, OH, OW, CO], mean, variance };
}

interface SmokeJson {
  backend: string;
  outShape: number[];
  mean: number[];
  variance: number[];
}

/** Records console errors and uncaught errors (page and its workers) and every request URL. */
export function watch(page: Page): { errors: string[]; urls: string[] } {
  const errors: string[] = [];
  const urls: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('worker', (w) =>
    w.on('console', (m) => {
      if (m.type() === 'error') errors.push(`worker console: ${m.text()}`);
    }),
  );
  page.context().on('request', (r) => urls.push(r.url()));
  return { errors, urls };
}

/**
 * Opens `path`, waits for the smoke result and checks: the active backend is `backend`, the
 * numbers match expectedMoments(), no errors, every request same-origin. Returns the label text.
 */
export async function checkSmokePage(page: Page, path: string, backend: string): Promise<string> {
  const seen = watch(page);
  await page.goto(path);
  await expect(page).toHaveTitle('IsoNAS Lab');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('IsoNAS Lab');

  const label = page.getByTestId('backend-label');
  await expect(label).toHaveAttribute('data-backend', backend);
  await expect(label).toHaveText(new RegExp(`^${backend}\\b`));

  const result = page.getByTestId('smoke-result');
  await expect(result).not.toBeEmpty();
  const got = JSON.parse((await result.textContent()) ?? '') as SmokeJson;
  const want = expectedMoments();
  expect(got.backend).toBe(backend);
  expect(got.outShape).toEqual(want.outShape);
  expect(got.mean).toHaveLength(want.mean.length);
  expect(got.variance).toHaveLength(want.variance.length);
  for (let o = 0; o < want.mean.length; o++) {
    // float32 on the device vs float64 here: a loose relative tolerance.
    expect(Math.abs(got.mean[o] - want.mean[o])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.mean[o])));
    expect(Math.abs(got.variance[o] - want.variance[o])).toBeLessThan(1e-4 * Math.max(1, want.variance[o]));
  }
  await expect(page.getByTestId('status')).toHaveText('done');
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  await expect(page.getByTestId('panel-error')).toHaveCount(0);

  expect(seen.errors).toEqual([]);
  const origin = new URL(page.url()).origin;
  expect(seen.urls.length).toBeGreaterThan(0);
  expect(seen.urls.filter((u) => new URL(u).origin !== origin)).toEqual([]);
  return (await label.textContent()) ?? '';
}
