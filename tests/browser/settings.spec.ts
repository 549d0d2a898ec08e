import { expect, test, type Page } from '@playwright/test';

const PAGE = '/tests/browser/pages/settings.html';

/** Every localStorage entry as `key=value` lines. */
const localText = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .map((key) => `${key}=${localStorage.getItem(key)}`)
      .join('\n'),
  );

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

let errors: string[] = [];
test.beforeEach(async ({ page }) => {
  errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(PAGE);
});
test.afterEach(() => {
  expect(errors).toEqual([]);
});

test.describe('settings dialog', () => {
  test('opens by its name, says the demo answers, saves fields as typed, and they survive a reload', async ({ page }) => {
    const dialog = await openSettings(page);
    await expect(dialog.getByText('No API key: the offline demo model answers.')).toBeVisible();
    await expect(page.getByText('Offline demo model', { exact: true })).toBeVisible();
    await expect(dialog.getByText('Create a key at platform.openai.com')).toBeVisible();

    await dialog.getByLabel('Base URL').fill('https://proxy.example.com/v1');
    await dialog.getByLabel('API key', { exact: true }).fill('sk-browser-test-1');
    await dialog.getByLabel('Model', { exact: true }).fill('gpt-5.1-codex-mini');
    await dialog.getByLabel('Approval policy').selectOption('never');
    await dialog.getByLabel('Developer instructions').fill('Prefer small commits.');
    await expect(dialog.getByText('No API key: the offline demo model answers.')).toBeHidden();
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveAttribute('type', 'password');
    await dialog.getByRole('button', { name: 'Show key' }).click();
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveAttribute('type', 'text');

    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByText('OpenAI · gpt-5.1-codex-mini')).toBeVisible();

    await page.reload();
    const again = await openSettings(page);
    await expect(again.getByLabel('Base URL')).toHaveValue('https://proxy.example.com/v1');
    await expect(again.getByLabel('API key', { exact: true })).toHaveValue('sk-browser-test-1');
    await expect(again.getByLabel('Model', { exact: true })).toHaveValue('gpt-5.1-codex-mini');
    await expect(again.getByLabel('Approval policy')).toHaveValue('never');
    await expect(again.getByLabel('Developer instructions')).toHaveValue('Prefer small commits.');

    const stored = await page.evaluate(() => ({
      settings: localStorage.getItem('unroll.settings.v1') ?? '',
      key: localStorage.getItem('unroll.apiKey'),
    }));
    expect(stored.key).toBe('sk-browser-test-1');
    expect(stored.settings).toContain('gpt-5.1-codex-mini');
    expect(stored.settings).not.toContain('sk-browser-test-1');
  });

  test('"for this tab only" keeps the key out of localStorage; it survives a reload in the same tab only', async ({ page, context }) => {
    const dialog = await openSettings(page);
    await dialog.getByLabel('Keep the key for this tab only').check();
    await dialog.getByLabel('API key', { exact: true }).fill('sk-tab-only-42');
    expect(await localText(page)).not.toContain('sk-tab-only-42');
    expect(await page.evaluate(() => sessionStorage.getItem('unroll.apiKey'))).toBe('sk-tab-only-42');

    await page.reload();
    const again = await openSettings(page);
    await expect(again.getByLabel('Keep the key for this tab only')).toBeChecked();
    await expect(again.getByLabel('API key', { exact: true })).toHaveValue('sk-tab-only-42');
    expect(await localText(page)).not.toContain('sk-tab-only-42');

    // A new tab shares localStorage but not sessionStorage: no key there.
    const other = await context.newPage();
    await other.goto(PAGE);
    const otherDialog = await openSettings(other);
    await expect(otherDialog.getByLabel('API key', { exact: true })).toHaveValue('');
    await expect(otherDialog.getByText('No API key: the offline demo model answers.')).toBeVisible();
    await other.close();

    // Unticking moves the key to localStorage and deletes the tab copy.
    await again.getByLabel('Keep the key for this tab only').uncheck();
    expect(await page.evaluate(() => localStorage.getItem('unroll.apiKey'))).toBe('sk-tab-only-42');
    expect(await page.evaluate(() => sessionStorage.getItem('unroll.apiKey'))).toBeNull();
  });

  test('a bad base URL shows an error; preset hints, headers and the model list work', async ({ page }) => {
    const dialog = await openSettings(page);
    const baseURL = dialog.getByLabel('Base URL');
    await baseURL.fill('ftp://example.com/v1');
    await expect(dialog.getByText('The base URL must start with http:// or https://.')).toBeVisible();
    await expect(baseURL).toHaveAttribute('aria-invalid', 'true');
    await baseURL.fill('https://example.com/v1');
    await expect(dialog.getByText('The base URL must start with http:// or https://.')).toBeHidden();

    await dialog.getByLabel('Provider').selectOption('ollama');
    await expect(dialog.getByText('OLLAMA_ORIGINS')).toBeVisible();
    // The typed URL is kept; a preset only replaces URLs the user did not type.
    await expect(baseURL).toHaveValue('https://example.com/v1');

    const headers = dialog.getByRole('group', { name: 'Extra headers' });
    await headers.getByRole('button', { name: 'Add header' }).click();
    await headers.getByLabel('Header 1 name').fill('Bad Name');
    await expect(headers.getByText('is not a valid header name')).toBeVisible();
    await headers.getByLabel('Header 1 name').fill('X-Team');
    await headers.getByLabel('Header 1 value').fill('blue');
    await expect(headers.getByText('is not a valid header name')).toBeHidden();
    const query = dialog.getByRole('group', { name: 'Extra query parameters' });
    await query.getByRole('button', { name: 'Add parameter' }).click();
    await query.getByLabel('Parameter 1 name').fill('api-version');
    await expect.poll(() => localText(page)).toContain('"X-Team"');

    // Unreachable server: the failure shows inline.
    await baseURL.fill('http://127.0.0.1:9/v1');
    await dialog.getByRole('button', { name: 'Fetch models' }).click();
    await expect(dialog.locator('[aria-live] .error')).not.toBeEmpty();

    // The demo lists its model offline, through the lazily loaded client.
    await dialog.getByLabel('Provider').selectOption('openai');
    await baseURL.fill('');
    await dialog.getByRole('button', { name: 'Fetch models' }).click();
    await expect(dialog.getByText('1 model offered')).toBeVisible();
    await expect(dialog.locator('datalist option')).toHaveAttribute('value', 'unroll-scripted');
  });
});

test.describe('settings: provider switches, the demo and token limits', () => {
  test("switching Custom → OpenAI moves the demo model name to OpenAI's default", async ({ page }) => {
    const dialog = await openSettings(page);
    await dialog.getByLabel('Provider').selectOption('custom');
    await dialog.getByLabel('Base URL').fill('http://localhost:8000/v1');
    await dialog.getByLabel('Model', { exact: true }).fill('unroll-scripted');
    await dialog.getByLabel('Provider').selectOption('openai');
    await expect(dialog.getByLabel('Model', { exact: true })).toHaveValue('gpt-5.1-codex');
  });

  test('looking through the providers keeps the demo answering until an address is given', async ({ page }) => {
    const dialog = await openSettings(page);
    const provider = dialog.getByLabel('Provider');
    // Browsing with the keyboard selects each provider in turn.
    await provider.focus();
    for (const id of ['azure', 'openrouter', 'ollama']) {
      await page.keyboard.press('ArrowDown');
      await expect(provider).toHaveValue(id);
      await expect(dialog.getByRole('status').filter({ hasText: 'the offline demo model answers' })).toBeVisible();
      await expect(page.getByText('Offline demo model', { exact: true })).toBeVisible();
    }
    await expect(dialog.getByText('No base URL: the offline demo model answers.')).toBeVisible();
    await expect(dialog.getByLabel('Base URL')).toHaveValue('');
    await expect(dialog.getByLabel('Base URL')).toHaveAttribute('placeholder', 'http://localhost:11434/v1');

    await dialog.getByRole('button', { name: 'Use http://localhost:11434/v1' }).click();
    await expect(dialog.getByLabel('Base URL')).toHaveValue('http://localhost:11434/v1');
    await expect(dialog.getByText('the offline demo model answers')).toBeHidden();
    await expect(page.getByText('Ollama (local) · gpt-oss:20b')).toBeVisible();
  });

  test('on the demo, the Model field says the demo model is what answers', async ({ page }) => {
    const dialog = await openSettings(page);
    const model = dialog.getByLabel('Model', { exact: true });
    await expect(model).toHaveValue('gpt-5.1-codex');
    await expect(model).toHaveAccessibleDescription(
      /Answering now: the offline demo model \(unroll-scripted\)\. The model named here answers once you add an API key\./,
    );
    await dialog.getByLabel('API key', { exact: true }).fill('sk-test-model-field');
    await expect(dialog.getByText('Answering now: the offline demo model')).toBeHidden();
    await expect(page.getByText('OpenAI · gpt-5.1-codex')).toBeVisible();
  });

  test('"Compact at" above the context window is refused with a message and not saved', async ({ page }) => {
    const dialog = await openSettings(page);
    const window = dialog.getByLabel('Context window (tokens)');
    const limit = dialog.getByLabel('Compact at (tokens)');
    await window.fill('1000');
    await window.press('Tab');
    await limit.fill('5000');
    await limit.press('Tab');
    const alert = dialog.getByRole('alert').filter({ hasText: 'Compact at' });
    await expect(alert).toHaveText(
      '"Compact at" (5,000) must be below the context window (1,000 tokens). Until it is, it is not saved and compaction starts at 90 % of the window.',
    );
    await expect(limit).toHaveAttribute('aria-invalid', 'true');
    const saved = () => page.evaluate(() => JSON.parse(localStorage.getItem('unroll.settings.v1') ?? '{}') as Record<string, unknown>);
    expect(await saved()).toMatchObject({ contextWindow: 1000, autoCompactLimit: null });

    await window.fill('8000');
    await window.press('Tab');
    await expect(alert).toHaveCount(0);
    await expect(limit).not.toHaveAttribute('aria-invalid', 'true');
    expect(await saved()).toMatchObject({ contextWindow: 8000, autoCompactLimit: 5000 });
  });
});

test.describe('workbench layout', () => {
  test('the chat divider drags and answers arrow keys; the size survives a reload', async ({ page }) => {
    const divider = page.getByRole('separator', { name: 'Resize chat' });
    const chat = page.getByRole('region', { name: 'Chat' });
    await expect(divider).toHaveAttribute('aria-valuenow', '44');
    const before = (await chat.boundingBox())?.width ?? 0;

    const box = await divider.boundingBox();
    if (!box) throw new Error('divider not laid out');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    const dragged = Number(await divider.getAttribute('aria-valuenow'));
    expect(dragged).toBeGreaterThan(45);
    expect((await chat.boundingBox())?.width ?? 0).toBeGreaterThan(before + 150);

    await divider.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(divider).toHaveAttribute('aria-valuenow', String(dragged - 2));

    await page.reload();
    await expect(page.getByRole('separator', { name: 'Resize chat' })).toHaveAttribute('aria-valuenow', String(dragged - 2));
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('unroll.layout.v1') ?? '{}') as { sizes?: { chat?: number } });
    expect(Math.round(saved.sizes?.chat ?? 0)).toBe(dragged - 2);

    // The terminal divider is vertical: arrow keys up and down.
    const terminal = page.getByRole('separator', { name: 'Resize terminal' });
    await terminal.focus();
    await page.keyboard.press('Shift+ArrowDown');
    await expect(terminal).toHaveAttribute('aria-valuenow', '74');
  });

  test('Editor | Preview tabs switch the top area at 1280×800; everything is on screen', async ({ page }) => {
    for (const name of ['Chat', 'Files', 'Editor', 'Terminal']) {
      await expect(page.getByRole(name === 'Editor' ? 'tabpanel' : 'region', { name })).toBeVisible();
    }
    await expect(page.getByTestId('preview-pane')).toBeHidden();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await expect(page.getByTestId('preview-pane')).toBeVisible();
    await expect(page.getByTestId('editor-pane')).toBeHidden();
    await page.getByRole('tab', { name: 'Preview' }).press('ArrowLeft');
    await expect(page.getByRole('tab', { name: 'Editor' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Editor' })).toBeFocused();
    await expect(page.getByTestId('editor-pane')).toBeVisible();

    await expect(page.getByTestId('files-pane')).toContainText('package.json');
    await openSettings(page);
    await page.screenshot({ path: 'tests/artifacts/settings.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(15, 18, 22)');
    await page.screenshot({ path: 'tests/artifacts/settings-dark.png' });
  });

  test('a narrow window shows one pane at a time with a tab bar, keeping panes mounted', async ({ page }) => {
    await page.getByRole('textbox', { name: 'Message' }).fill('draft kept across layouts');
    await page.setViewportSize({ width: 700, height: 900 });
    const tabs = page.getByRole('tablist', { name: 'Panes' });
    await expect(tabs).toBeVisible();
    await expect(tabs.getByRole('tab')).toHaveText(['Chat', 'Files', 'Editor', 'Terminal', 'Preview', 'Inspector']);
    await expect(page.getByRole('separator')).toHaveCount(0);
    await expect(page.getByTestId('chat-pane')).toBeVisible();
    await expect(page.getByTestId('terminal-pane')).toBeHidden();

    await tabs.getByRole('tab', { name: 'Terminal' }).click();
    await expect(page.getByTestId('terminal-pane')).toBeVisible();
    await expect(page.getByTestId('chat-pane')).toBeHidden();
    await tabs.getByRole('tab', { name: 'Preview' }).click();
    await expect(page.getByTestId('preview-pane')).toBeVisible();
    await page.screenshot({ path: 'tests/artifacts/layout-narrow.png' });

    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(tabs).toBeHidden();
    await expect(page.getByTestId('chat-pane')).toBeVisible();
    await expect(page.getByTestId('terminal-pane')).toBeVisible();
    // Nothing was re-created: the draft typed before is still there.
    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('draft kept across layouts');
    await page.screenshot({ path: 'tests/artifacts/layout.png' });
  });
});
