/**
 * The terminal's keyboard way out (WCAG 2.1.2) in Chromium, on
 * tests/browser/pages/terminal-preview.html: Tab completes in the shell, Esc then Tab (or
 * Shift+Tab) moves focus out of the terminal, and the terminal says so.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

const PAGE = '/tests/browser/pages/terminal-preview.html';
const PROMPT = 'user@unroll:/workspace$';

function terminal(page: Page): Locator {
  return page.getByRole('region', { name: 'Terminal' });
}

async function screenText(page: Page): Promise<string> {
  const rows = await terminal(page).locator('.xterm-rows > div').allTextContents();
  return rows.map((row) => row.replace(/\u00a0/g, ' ').trimEnd()).join('\n');
}

/** Where focus is: 'terminal' (xterm's input), a button's id, or the active element's tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active?.closest('.xterm')) return 'terminal';
    return active?.id || active?.tagName.toLowerCase() || 'none';
  });
}

/** Opens the harness with a button just before and just after the terminal, focus in the terminal. */
async function openTerminal(page: Page): Promise<void> {
  await page.goto(PAGE);
  await expect(terminal(page).locator('.xterm-rows')).toContainText(PROMPT);
  await page.evaluate(() => {
    const make = (id: string) => Object.assign(document.createElement('button'), { id, textContent: id });
    const host = document.getElementById('terminal') as HTMLElement;
    host.prepend(make('before'));
    host.append(make('after'));
  });
  await terminal(page).locator('.xterm-screen').click();
  expect(await focused(page)).toBe('terminal');
}

test.describe('terminal keyboard', () => {
  test('Tab stays in the terminal and completes in the shell; Esc alone stays too', async ({ page }) => {
    await openTerminal(page);
    await page.keyboard.type('ech');
    await page.keyboard.press('Tab');
    await expect.poll(() => screenText(page)).toContain(`${PROMPT} echo`);
    expect(await focused(page)).toBe('terminal');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('terminal');
    await page.keyboard.type('done');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page)).toContain('\ndone');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('terminal');
  });

  test('Esc then Tab moves focus to the next element, Esc then Shift+Tab to the previous one', async ({ page }) => {
    await openTerminal(page);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('after');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('terminal');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('before');
    // Back in, a lone Tab completes again instead of leaving.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('terminal');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('terminal');
  });

  test('the terminal input describes the way out', async ({ page }) => {
    await openTerminal(page);
    const input = terminal(page).locator('textarea');
    await expect(input).toHaveAccessibleDescription(/Esc then Tab leaves the terminal/);
  });
});
