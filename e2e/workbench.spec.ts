import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { VIEWS, STAGES } from '../src/ui/shell/views.ts';
import { watch } from './smokeCheck.ts';

// The workbench shell, cheaply (no training): every view at 1440x900 and 390x844 has no horizontal
// page overflow; views switch through the rail and through ?view=; axe finds no serious or
// critical violation on any view, light and dark; the theme toggle persists.
const TINY = 'preset=tiny';

const overflow = (page: Page) =>
  page.evaluate<{ scroll: number; inner: number; body: number }>(
    '({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth, body: document.body.scrollWidth })',
  );

async function open(page: Page, query = TINY) {
  const seen = watch(page);
  await page.goto(`/?${query}`);
  await expect(page.getByTestId('status')).toHaveText('done', { timeout: 60_000 });
  return seen;
}

for (const [width, height] of [
  [1440, 900],
  [390, 844],
] as const) {
  test(`every view at ${width}x${height}: rail switches it, the URL keeps it, nothing scrolls sideways`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const seen = await open(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('IsoNAS Lab');
    await expect(page.getByTestId('view-data')).toBeVisible(); // the default view
    for (const v of VIEWS) {
      await page.getByTestId(`rail-${v}`).click();
      await expect(page).toHaveURL(new RegExp(`[?&]view=${v}(&|$)`));
      await expect(page).toHaveURL(/[?&]preset=tiny(&|$)/); // the setup stays in the URL
      await expect(page.getByTestId(`view-${v}`)).toBeVisible();
      for (const other of VIEWS) if (other !== v) await expect(page.getByTestId(`view-${other}`)).toBeHidden();
      const o = await overflow(page);
      expect(o.scroll, `${v}: page scrollWidth`).toBeLessThanOrEqual(o.inner);
      expect(o.body, `${v}: body scrollWidth`).toBeLessThanOrEqual(o.inner);
      if ((STAGES as readonly string[]).includes(v)) await expect(page.getByTestId(`rail-${v}`)).toHaveAttribute('aria-current', 'page');
    }
    // links carry the whole setup (a link reproduces setup and view)
    await expect(page.getByTestId('rail-train')).toHaveAttribute('href', /^\?preset=tiny&.*res=16.*&view=train$/);
    await expect(page.getByRole('link', { name: /^Data:/ })).toHaveAttribute('href', /^\?preset=tiny&.*res=16.*&view=data$/);
    // the top bar stays in view with the backend and the data in use
    await expect(page.getByTestId('topbar-backend')).toBeInViewport();
    await expect(page.getByTestId('topbar-data')).toHaveText('synthetic data');
    expect(seen.errors).toEqual([]);
  });
}

test('?view= opens that view; Back returns to the previous one; empty states link to the stage they need', async ({ page }) => {
  await open(page, `${TINY}&view=search`);
  await expect(page.getByTestId('view-search')).toBeVisible();
  await expect(page.getByTestId('empty-search')).toContainText('train at least one step first');
  await page.getByTestId('empty-search').getByTestId('goto-train').click();
  await expect(page.getByTestId('view-train')).toBeVisible();
  await expect(page).toHaveURL(/[?&]view=train(&|$)/);
  await page.goBack();
  await expect(page.getByTestId('view-search')).toBeVisible();
  // an unknown view falls back to Data
  await page.goto(`/?${TINY}&view=nope`);
  await expect(page.getByTestId('view-data')).toBeVisible();
  // the raw smoke result is not on the first screen: it sits in a closed details in the Engine view
  await expect(page.getByTestId('smoke-result')).toBeHidden();
  await page.getByTestId('rail-engine').click();
  await expect(page.getByTestId('smoke-result')).toBeHidden();
  await page.getByText('Raw result').click();
  await expect(page.getByTestId('smoke-result')).toBeVisible();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: no serious or critical violation on any view (${scheme})`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: scheme });
    await open(page);
    for (const v of VIEWS) {
      await page.getByTestId(`rail-${v}`).click();
      await expect(page.getByTestId(`view-${v}`)).toBeVisible();
      const result = await new AxeBuilder({ page }).exclude('[hidden]').analyze();
      const bad = result.violations
        .filter((x) => x.impact === 'serious' || x.impact === 'critical')
        .map((x) => `${x.id} (${x.impact}): ${x.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' | ')}`);
      expect(bad, `view ${v}, ${scheme}`).toEqual([]);
    }
  });
}

test('with no saved choice the theme follows the system scheme, also when it changes', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await open(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('the theme toggle switches light/dark and is kept across a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page);
  const bg = () => page.evaluate<string>("getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()");
  const light = await bg();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await bg();
  expect(dark).not.toBe(light);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await bg()).toBe(dark);
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await bg()).toBe(light);
});
