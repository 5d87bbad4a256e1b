import { expect, test, type Page } from '@playwright/test';
import { watch } from './smokeCheck.ts';

// BN-only supernet training of src/core running in the worker: WebGPU on SwiftShader (slow but
// correct) against the cpu backend on the same seed, data and paths. Tiny config; behaviour
// only, speed is a benchmark's business.

async function trainOn(page: Page, path: string, backend: string): Promise<number[]> {
  const seen = watch(page);
  await page.goto(path);
  await expect(page.getByTestId('backend-label')).toHaveAttribute('data-backend', backend);
  const start = page.getByTestId('train-start');
  await expect(start).toBeEnabled({ timeout: 60_000 });
  await start.click();
  await expect(page.getByTestId('train-done')).toHaveAttribute('data-backend', backend, { timeout: 240_000 });
  await expect(page.getByTestId('train-step')).toHaveText('3');
  await expect(page.getByTestId('train-done')).toContainText('21 layers');
  await expect(page.getByTestId('train-error')).toHaveCount(0);
  expect(seen.errors).toEqual([]);
  return (await page.getByTestId('train-log').innerText()).split(', ').map(Number);
}

test('trains the tiny supernet BN-only in the worker; WebGPU agrees with the cpu backend', async ({ browser }) => {
  test.setTimeout(400_000);
  const gpu = await trainOn(await browser.newPage(), '/', 'webgpu');
  const cpu = await trainOn(await browser.newPage(), '/?backends=cpu', 'cpu');
  expect(gpu).toHaveLength(3);
  for (const l of cpu) {
    // finite, and in the range of a 4-class cross-entropy
    expect(Number.isFinite(l)).toBe(true);
    expect(l).toBeGreaterThan(0.5);
    expect(l).toBeLessThan(5);
  }
  for (const l of gpu) expect(Number.isFinite(l)).toBe(true);
  // Same seed, batch and path: the first step's loss (computed before any update) agrees to the
  // 4 decimals shown. Later steps are not compared: at this size training is chaotic (measured on
  // cpu: scaling the inputs by 1 +/- 1e-6 moves the step-1 loss from 1.594 to 1.325), so float32
  // rounding differences between backends legitimately grow after the first update.
  expect(Math.abs(gpu[0] - cpu[0])).toBeLessThanOrEqual(2e-4);
});
