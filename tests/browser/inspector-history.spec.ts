import { expect, test, type Page } from '@playwright/test';

// The Inspector across a reload, and replay from the keyboard, with the offline demo model.
async function send(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
}

test('after a reload the Inspector still lists the session’s rounds, marked as from before it, and the totals continue', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  await send(page, 'Give me the hello demo');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const inspector = page.getByTestId('inspector-pane');
  const rounds = inspector.getByRole('list', { name: 'Rounds' }).getByRole('button');
  await expect(rounds).toHaveCount(4);
  await expect(page.getByLabel('Session usage')).toContainText('Session: 4 requests');

  await page.reload();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await expect(rounds).toHaveCount(4);
  for (const round of await rounds.all()) await expect(round).toContainText('before reload');
  await rounds.nth(1).click();
  const detail = inspector.getByRole('region', { name: 'Round 2' });
  await expect(detail.getByRole('note')).toContainText('From before the reload');
  await expect(detail).toContainText(/Its turn, as stored: 4 requests · [\d,]+ input/);
  // Its input items are there to open, as stored.
  const parts = detail.getByRole('list', { name: 'Request parts' });
  await parts
    .getByRole('button', { name: /user message/ })
    .last()
    .click();
  await expect(parts.locator('pre')).toContainText('Give me the hello demo');
  await expect(page.getByLabel('Session usage')).toContainText('Session: 4 requests');

  await send(page, 'Give me the hello demo');
  await expect(rounds).toHaveCount(8);
  await expect(rounds.nth(4)).toContainText('first since reload');
  await expect(rounds.nth(4)).toContainText('KB');
  await expect(rounds.nth(5)).toContainText('reused');
  await expect(page.getByLabel('Session usage')).toContainText('Session: 8 requests');
});

test('replay steps with ←/→, Home/End and plays with Space, but leaves keys typed in the composer alone', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  await send(page, 'Give me the hello demo');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'Replay' }).click();
  const bar = page.getByRole('toolbar', { name: 'Replay' });
  await expect(bar).toContainText('Round 1 of 4');
  const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await blur();
  await page.keyboard.press('End');
  await expect(bar).toContainText('Round 4 of 4');
  await page.keyboard.press('ArrowLeft');
  await expect(bar).toContainText('Round 3 of 4');
  await page.keyboard.press('Home');
  await expect(bar).toContainText('Round 1 of 4');
  await page.keyboard.press('ArrowRight');
  await expect(bar).toContainText('Round 2 of 4');
  await expect(page.getByTestId('inspector-pane').getByRole('list', { name: 'Rounds' }).getByRole('button')).toHaveCount(2);

  // Typing in the composer: the arrows move its caret, not the replay.
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('draft');
  await box.press('ArrowLeft');
  await box.press('Home');
  await box.press(' ');
  await expect(box).toHaveValue(' draft');
  await expect(bar).toContainText('Round 2 of 4');

  // With the bar focused, and Space to play from round 3 to the end, where it stops.
  await bar.focus();
  await page.keyboard.press('ArrowRight');
  await expect(bar).toContainText('Round 3 of 4');
  const play = bar.getByRole('button', { name: /Play|Pause/ });
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Space');
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  await expect(bar).toContainText('Round 4 of 4');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  await expect(play).toHaveText('▶ Play');
});
