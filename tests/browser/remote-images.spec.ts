/**
 * Markdown images from model output, share links and imports fetch nothing by themselves: a
 * remote one is a "Load image from <host>" button until clicked; data: images show directly.
 * On tests/browser/pages/markdown.html (the real MarkdownView, DOMPurify in Chromium).
 */
import { expect, test } from '@playwright/test';

const PAGE = '/tests/browser/pages/markdown.html';
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const DATA_PIXEL = `data:image/png;base64,${PIXEL.toString('base64')}`;

test('a remote image loads only when its button is clicked; a data: image shows at once', async ({ page }) => {
  const fetched: string[] = [];
  await page.route('https://images.example/**', (route) => {
    fetched.push(route.request().url());
    void route.fulfill({
      body: PIXEL,
      contentType: 'image/png',
      headers: { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' },
    });
  });
  await page.goto(PAGE);
  await page.waitForFunction(() => window.__markdown !== undefined);
  const markdown = [
    'Here is the chart: ![chart](https://images.example/chart.png?leak=SECRET "The chart")',
    '',
    `And an inline one: ![dot](${DATA_PIXEL})`,
    '',
    '<img src="https://images.example/raw.png?leak=HTML"> <img srcset="https://images.example/set.png 2x">',
    '',
    '<video poster="https://images.example/poster.png" src="https://images.example/v.mp4"></video>',
    '<table background="https://images.example/bg.png"><tr><td>cell</td></tr></table>',
    '<img data-remote-src="https://images.example/forged.png" alt="forged">',
  ].join('\n');
  await page.evaluate((text) => window.__markdown!.show(text), markdown);

  const buttons = page.getByRole('button', { name: 'Load image from images.example' });
  await expect(buttons).toHaveCount(2);
  await expect(page.locator('img[alt="dot"]')).toHaveAttribute('src', DATA_PIXEL);
  await expect(page.getByText('cell')).toBeVisible();
  await page.waitForTimeout(500);
  expect(fetched).toEqual([]);
  // Nothing the model wrote can pose as a gated image or carry a remote URL on an <img>.
  expect(await page.locator('#app img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src')))).toEqual([DATA_PIXEL, null, null]);

  await buttons.first().click();
  const chart = page.locator('img[alt="chart"]');
  await expect(chart).toHaveAttribute('src', 'https://images.example/chart.png?leak=SECRET');
  await expect(chart).toHaveAttribute('title', 'The chart');
  await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  expect(fetched).toEqual(['https://images.example/chart.png?leak=SECRET']);
  await expect(buttons).toHaveCount(1);
});
