import { expect, test, type Page } from '@playwright/test';

// Items a server sent that the app does not understand are shown as "unknown" rows (by type,
// with their data one click away) instead of being dropped, and survive a reload.
const APP = '/?sandbox=embedded';

function exportFile() {
  const document = {
    format: 'unroll-session',
    version: 1,
    session: { title: 'odd items', model: 'demo', createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000 },
    items: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'weather in Lyon?' }] },
      {
        id: 'ws_1',
        type: 'web_search_call',
        status: 'completed',
        action: { type: 'search', query: 'weather in Lyon', sources: [{ type: 'url', url: 'https://example.com/lyon' }] },
      },
      { id: 'ci_1', type: 'code_interpreter_call', status: 'completed', code: 'print("Lyon")' },
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'Sunny and warm.' },
          { type: 'output_audio', data: 'UklGRg==', transcript: 'Sunny and warm.' },
        ],
      },
      { type: 'function_call', call_id: 'c1', name: 'exec_command' },
      { type: 'function_call_output', call_id: 'c1', output: 'failed to parse function arguments' },
    ],
    snapshot: null,
  };
  return { name: 'odd.unroll.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(document)) };
}

const transcript = (page: Page) => page.getByRole('region', { name: 'Transcript' });

async function expectRows(page: Page) {
  const rows = transcript(page).getByTestId('unknown-entry');
  await expect(rows).toHaveText([/unknown item \(code_interpreter_call\)/, /unknown part \(output_audio\)/, /unknown item \(function_call\)/]);
  await expect(transcript(page).locator('.assistant').last()).toContainText('Sunny and warm.');
  await rows.first().locator('summary').click();
  await expect(rows.first()).toContainText('print(\\"Lyon\\")');
  // A hosted web search is understood: its query and sources, nothing fetched.
  const search = transcript(page).getByTestId('web-search');
  await expect(search).toContainText('Searched the web: weather in Lyon · 1 source');
  await search.locator('summary').click();
  await expect(search.getByRole('link', { name: 'https://example.com/lyon' })).toBeVisible();
}

test('an imported session with items the app does not understand shows them as unknown rows, also after a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(APP);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEditable();
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByLabel('Import a session file').setInputFiles(exportFile());
  await expect(page.getByRole('dialog', { name: 'Sessions' })).toBeHidden({ timeout: 30_000 });

  await expectRows(page);
  await page.reload();
  await expectRows(page);
  expect(errors).toEqual([]);
});
