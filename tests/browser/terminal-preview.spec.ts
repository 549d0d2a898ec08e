/**
 * The terminal and preview panes in Chromium, on tests/browser/pages/terminal-preview.html: a
 * real embedded sandbox behind xterm.js, and the preview pane with and without servers.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

const PAGE = '/tests/browser/pages/terminal-preview.html';
const PROMPT = 'user@unroll:/workspace$';

/** Fails the test on any uncaught error or console error the page reports. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    // The test server has no favicon; Chromium asks for one anyway.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      errors.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  return errors;
}

function terminal(page: Page): Locator {
  return page.getByRole('region', { name: 'Terminal' });
}

/** The visible rows of the terminal, one string per row, trailing blanks trimmed. */
async function screen(page: Page): Promise<string[]> {
  const rows = terminal(page).locator('.xterm-rows > div');
  const texts = await rows.allTextContents();
  return texts.map((row) => row.replace(/\u00a0/g, ' ').trimEnd());
}

async function screenText(page: Page): Promise<string> {
  return (await screen(page)).join('\n');
}

/** Types a command line and presses Enter. */
async function run(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** The last row with something on it. */
async function lastLine(page: Page): Promise<string | undefined> {
  return (await screen(page)).filter((row) => row !== '').at(-1);
}

/** The number of prompts on screen; a finished command leaves one more. */
async function prompts(page: Page): Promise<number> {
  return (await screen(page)).filter((row) => row.startsWith('user@unroll:')).length;
}

async function openTerminal(page: Page, query = ''): Promise<void> {
  await page.goto(PAGE + query);
  await expect(terminal(page).locator('.xterm-rows')).toContainText(PROMPT);
  await terminal(page).locator('.xterm-screen').click();
}

test.describe('terminal', () => {
  test('shows the prompt and runs a command', async ({ page }) => {
    const errors = collectErrors(page);
    await openTerminal(page);
    await expect(terminal(page)).toContainText('Embedded sandbox (just-bash)');
    await run(page, 'echo hi');
    await expect.poll(() => screen(page)).toContain('hi');
    await expect.poll(() => prompts(page)).toBe(2);
    expect(errors).toEqual([]);
  });

  test('cd carries over to the next command', async ({ page }) => {
    await openTerminal(page);
    await run(page, 'mkdir -p demo/app && cd demo/app');
    await expect.poll(() => prompts(page)).toBe(2);
    await run(page, 'pwd');
    await expect.poll(() => screen(page)).toContain('/workspace/demo/app');
    await expect(terminal(page)).toContainText('user@unroll:/workspace/demo/app$');
  });

  test('↑ recalls the previous command', async ({ page }) => {
    await openTerminal(page);
    await run(page, 'echo first-$((40 + 2))');
    await expect.poll(() => screen(page)).toContain('first-42');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => lastLine(page)).toBe(`${PROMPT} echo first-$((40 + 2))`);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await screen(page)).filter((row) => row === 'first-42').length).toBe(2);
  });

  test('Ctrl-C cancels the line being typed', async ({ page }) => {
    await openTerminal(page);
    await page.keyboard.type('echo never-printed');
    await page.keyboard.press('Control+C');
    await expect.poll(() => screen(page)).toContain(`${PROMPT} echo never-printed^C`);
    await expect.poll(() => prompts(page)).toBe(2);
    await run(page, 'echo after');
    await expect.poll(() => screen(page)).toContain('after');
    expect(await screen(page)).not.toContain('never-printed');
  });

  test('clear empties the screen and leaves a fresh prompt', async ({ page }) => {
    await openTerminal(page);
    await run(page, 'echo before-clear');
    await expect.poll(() => screen(page)).toContain('before-clear');
    await run(page, 'clear');
    await expect.poll(async () => (await screen(page)).filter((row) => row !== '')).toEqual([`${PROMPT}`]);
  });

  test('a resized viewport refits the terminal and the shell learns the new width', async ({ page }) => {
    const errors = collectErrors(page);
    await openTerminal(page);
    await run(page, 'echo "cols=$COLUMNS"');
    const reported = async () => Number(/^cols=(\d+)$/m.exec(await screenText(page))?.[1] ?? NaN);
    await expect.poll(reported).toBeGreaterThan(40);
    const wide = await reported();

    await page.setViewportSize({ width: 900, height: 600 });
    // Each pane is half the viewport: the rows must fit in 450 px now.
    await expect.poll(async () => (await terminal(page).locator('.xterm-screen').boundingBox())?.width ?? 0).toBeLessThanOrEqual(450);
    await run(page, 'clear');
    await run(page, 'echo "cols=$COLUMNS"');
    await expect.poll(reported).toBeLessThan(wide);
    await expect.poll(reported).toBeGreaterThan(20);
    expect(errors).toEqual([]);
  });

  test('the colours follow the system theme, also when it changes', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openTerminal(page);
    const background = () =>
      terminal(page)
        .locator('.xterm-scrollable-element')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    await expect.poll(background).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe('rgb(15, 18, 22)');
  });

  test('exit prints a line and Restart shell opens a new one; unmounting kills it', async ({ page }) => {
    await openTerminal(page);
    await run(page, 'exit 3');
    await expect(terminal(page).getByRole('status')).toContainText('The shell exited with code 3.');
    await expect(terminal(page)).toContainText('[The shell exited with code 3.]');
    expect(await page.evaluate(() => window.__shells)).toEqual({ opened: 1, live: 0 });

    await terminal(page).getByRole('button', { name: 'Restart shell' }).click();
    await expect(terminal(page).getByRole('button', { name: 'Restart shell' })).toHaveCount(0);
    await expect.poll(() => prompts(page)).toBe(2);
    await run(page, 'echo again');
    await expect.poll(() => screen(page)).toContain('again');
    expect(await page.evaluate(() => window.__shells)).toEqual({ opened: 2, live: 1 });

    await page.evaluate(() => window.__harness?.unmountTerminal());
    await expect(page.locator('.xterm')).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => window.__shells)).toEqual({ opened: 2, live: 0 });
    await page.evaluate(() => window.__harness?.mountTerminal());
    await expect(terminal(page).locator('.xterm-rows')).toContainText(PROMPT);
    expect(await page.evaluate(() => window.__shells)).toEqual({ opened: 3, live: 1 });
  });

  test('a sandbox whose shell cannot start gets a message, not a blank pane', async ({ page }) => {
    await page.goto(`${PAGE}?shell=broken`);
    const alert = terminal(page).getByRole('alert');
    await expect(alert).toContainText('The shell could not start: no shell in this sandbox');
    await expect(alert.getByRole('button', { name: 'Restart shell' })).toBeVisible();
  });
});

test.describe('preview', () => {
  test('the embedded sandbox explains why there is no preview', async ({ page }) => {
    await page.goto(PAGE);
    await expect(page.getByRole('region', { name: 'Preview' })).toHaveText(
      'Previews need the WebContainer sandbox: servers cannot run in the embedded one.',
    );
    await expect(page.getByRole('combobox', { name: 'Port' })).toHaveCount(0);
  });

  test('servers appear in the picker and are shown in a sandboxed frame', async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(`${PAGE}?previews=fake`);
    const pane = page.getByRole('region', { name: 'Preview' });
    await expect(pane).toContainText('No server is running yet — start one in the terminal or ask the agent (e.g. npm run dev).');

    await page.evaluate(() => window.__previews?.open(5173));
    const port = pane.getByRole('combobox', { name: 'Port' });
    const address = pane.getByRole('textbox', { name: 'Preview URL' });
    await expect(port).toHaveValue('5173');
    const frame = pane.locator('iframe');
    await expect(frame).toHaveAttribute('src', /\/tests\/browser\/pages\/preview-stand-in\.html\?server=5173$/);
    await expect(frame).toHaveAttribute('allow', 'cross-origin-isolated');
    await expect(frame).toHaveAttribute('referrerpolicy', 'no-referrer');
    const tokens = ((await frame.getAttribute('sandbox')) ?? '').split(' ');
    expect(tokens).toContain('allow-scripts');
    // The stand-in is on our own origin, where same-origin would let it reach into the app.
    expect(tokens).not.toContain('allow-same-origin');
    await expect(pane.frameLocator('iframe').getByRole('heading')).toHaveText('Stand-in server page');
    await expect(address).toHaveValue(/\/preview-stand-in\.html\?server=5173$/);

    // Another server does not take over; the user's pick sticks.
    await page.evaluate(() => window.__previews?.open(3000));
    await expect(port.locator('option')).toHaveText([':3000', ':5173']);
    await expect(port).toHaveValue('5173');
    await port.selectOption('3000');
    await expect(frame).toHaveAttribute('src', /\?server=3000$/);
    await page.evaluate(() => window.__previews?.open(8080));
    await expect(port).toHaveValue('3000');

    // The chosen server stops: the lowest open one takes over.
    await page.evaluate(() => window.__previews?.close(3000));
    await expect(port).toHaveValue('5173');
    expect(errors).toEqual([]);

    await terminal(page).locator('.xterm-screen').click();
    await run(page, 'ls -la && cat README.md');
    await expect.poll(() => screen(page)).toContain('# Terminal harness');
    await page.screenshot({ path: 'tests/artifacts/terminal-preview.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'tests/artifacts/terminal-preview-dark.png' });
  });

  test('the URL bar takes paths on the server and refuses other origins', async ({ page }) => {
    await page.goto(`${PAGE}?previews=fake`);
    await page.evaluate(() => window.__previews?.open(5173));
    const pane = page.getByRole('region', { name: 'Preview' });
    const address = pane.getByRole('textbox', { name: 'Preview URL' });
    const frame = pane.locator('iframe');
    await expect(frame).toHaveAttribute('src', /server=5173$/);

    await address.fill('https://example.com/');
    await address.press('Enter');
    await expect(pane.getByRole('alert')).toContainText('Only pages served by the sandbox can be shown here');
    await expect(frame).toHaveAttribute('src', /server=5173$/);

    await address.fill('/tests/browser/pages/preview-stand-in.html?page=2');
    await address.press('Enter');
    await expect(pane.getByRole('alert')).toHaveCount(0);
    await expect(frame).toHaveAttribute('src', /\/preview-stand-in\.html\?page=2$/);
    await expect(pane.frameLocator('iframe').getByRole('heading')).toHaveText('Stand-in server page');

    // Reload makes a new frame on the same page.
    await frame.evaluate((el) => el.setAttribute('data-old', 'yes'));
    await pane.getByRole('button', { name: 'Reload' }).click();
    await expect(pane.locator('iframe[data-old]')).toHaveCount(0);
    await expect(frame).toHaveAttribute('src', /\?page=2$/);

    const popup = page.waitForEvent('popup');
    await pane.getByRole('button', { name: 'Open in new tab' }).click();
    expect((await popup).url()).toMatch(/\/preview-stand-in\.html\?page=2$/);
  });
});
