import type { Page } from '@playwright/test';

/** Shows a workbench view by clicking its rail entry (the Engine view: its link below the rail). */
export async function showView(page: Page, view: 'data' | 'supernet' | 'isometry' | 'train' | 'search' | 'retrain' | 'runs' | 'engine'): Promise<void> {
  await page.getByTestId(`rail-${view}`).click();
}
