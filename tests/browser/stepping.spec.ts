import { expect, test } from '@playwright/test';

// Step-through mode with the offline demo model: the loop waits before each request and tool call.
test('step through the hello lesson: continue through requests and commands, then stop', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  await page.getByLabel('Step through').check();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Give me the hello demo');
  await box.press('Enter');

  const step = page.getByRole('group', { name: 'Next step' }).last();
  await expect(step).toContainText('Next: request 1 to the model');
  await step.getByText('The exact request body').click();
  await expect(step.locator('pre')).toContainText('"store": false');
  await expect(step.locator('pre')).toContainText('Give me the hello demo');
  await page.screenshot({ path: 'tests/artifacts/stepping.png' });
  await step.getByRole('button', { name: 'Continue' }).click();

  await expect(step).toContainText('$ ls -la');
  // Nothing has run yet: the tool card appears only after Continue.
  await expect(page.getByRole('group', { name: 'Tool call exec_command' })).toHaveCount(0);
  await step.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('group', { name: 'Tool call exec_command' })).toContainText('✓');

  await expect(step).toContainText('Next: request 2 to the model');
  await step.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Stopped.', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
});

test('the step card and the Inspector give a request the same size: the bytes sent', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  await page.getByLabel('Step through').check();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Give me the hello demo');
  await box.press('Enter');

  const step = page.getByRole('group', { name: 'Next step' }).last();
  await expect(step).toContainText('Next: request 1 to the model');
  const size = (await step.locator('.title').textContent())?.match(/\d+\.\d KB/)?.[0];
  expect(size).toBeTruthy();
  await step.getByRole('button', { name: 'Continue' }).click();
  const inspector = page.getByTestId('inspector-pane');
  await expect(inspector.getByRole('list', { name: 'Rounds' }).getByRole('button').first()).toContainText(size!);
  await expect(inspector.getByRole('region', { name: 'Round 1' }).locator('.figures').first()).toContainText(`${size} · ~`);
  await step.getByRole('button', { name: 'Stop' }).click();
});
