/**
 * Servers that differ from OpenAI's, as a person meets them in the app: a server that refuses
 * reasoning (the chat says what was left out, Settings shows the adaptation, the next session
 * starts adapted), an error body in vLLM's shape (its words on the card, the body under it), and
 * a server without usage (the context meter says its figures are estimated).
 */
import { expect, test, type Page } from '@playwright/test';
import { addFilePatch, reply, sequence, type Script } from '../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../src/model/scripted/server';
import type { EndpointQuirks } from '../../src/model/scripted/quirks';
import { openWithServer, send } from '../support/app-page';

const KEY = 'sk-quirks-secret-97531';
let server: ScriptedServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(page: Page, quirks: EndpointQuirks, model = 'unroll-scripted', provider = 'custom', script?: Script): Promise<ScriptedServer> {
  const started = await startScriptedServer({ requireKey: KEY, quirks, script: script ?? (() => [reply.text('Answered plainly.')]) });
  await openWithServer(page, { url: started.url, key: KEY, model, provider });
  return started;
}

const posts = (s: ScriptedServer) =>
  s.requests.filter((r) => r.method === 'POST' && r.path.includes('/responses')).map((r) => r.body as Record<string, unknown>);

test('a server that refuses reasoning: left out, said in the chat and in Settings, remembered for the next session', async ({ page }) => {
  // A gpt-5 name on a custom server is sent reasoning settings; this server refuses them.
  server = await connect(page, { noReasoningItems: true }, 'gpt-5');
  await send(page, 'hello');
  const transcript = page.getByRole('region', { name: 'Transcript' });
  await expect(transcript).toContainText('Answered plainly.');
  await expect(transcript).toContainText('The server refused the reasoning settings: they are left out from now on.');
  expect(posts(server).map((b) => 'include' in b)).toEqual([true, false]);
  // This server reports usage: the meter's figures are the server's, not an estimate.
  await expect(page.getByRole('group', { name: 'Context' })).not.toContainText('estimated');

  await page.getByRole('button', { name: 'Settings' }).click();
  const adapted = page.getByRole('status', { name: 'Adapted to this server' });
  await expect(adapted).toContainText('no reasoning settings or reasoning items are sent');
  await adapted.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'tests/artifacts/settings-adapted.png' });
  await page.keyboard.press('Escape');

  await send(page, '/new');
  await send(page, 'again');
  await expect(transcript).toContainText('Answered plainly.');
  expect(posts(server).map((b) => 'include' in b)).toEqual([true, false, false]);

  // "Send everything again" forgets it.
  await page.getByRole('button', { name: 'Settings' }).click();
  await adapted.getByRole('button', { name: 'Send everything again' }).click();
  await expect(adapted).toHaveCount(0);
});

test("an error in vLLM's shape: its words on the card, the body as sent under it", async ({ page }) => {
  server = await connect(page, { errorShape: 'vllm' });
  server.faults.push({
    route: 'responses',
    status: 400,
    body: { error: { message: 'max_tokens must be at least 1, got -5.', type: 'invalid_request_error', param: null, code: null } },
    times: 10,
  });
  await send(page, 'hello');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The server rejected the request (400): max_tokens must be at least 1, got -5');
  await alert.getByText("The server's response").click();
  await expect(alert.locator('pre')).toContainText('"object":"error"');
});

test('a server without usage: the context meter says its figures are estimated', async ({ page }) => {
  server = await connect(page, { noUsage: true });
  await send(page, 'hello');
  await expect(page.getByRole('region', { name: 'Transcript' })).toContainText('Answered plainly.');
  const meter = page.getByRole('group', { name: 'Context' });
  await expect(meter).toContainText('(estimated)');
  await expect(meter).toContainText('the server reported no usage');
});

test('a server that takes only function tools: apply_patch goes as a function tool, and the file is written', async ({ page }) => {
  // As OpenAI's preset (pointed at this server) the app offers apply_patch as a freeform tool first.
  server = await connect(
    page,
    { rejectCustomTools: true, errorShape: 'llama' },
    'gpt-5.1-codex',
    'openai',
    sequence([(ctx) => reply.patch(ctx, addFilePatch('hi.txt', 'hi')), reply.text('Wrote hi.txt.')]),
  );
  await send(page, 'write hi.txt');
  const transcript = page.getByRole('region', { name: 'Transcript' });
  await expect(transcript).toContainText('Wrote hi.txt.');
  await expect(transcript).toContainText('The server accepts only function tools: apply_patch is sent as a function tool from now on.');
  await expect(page.getByRole('treeitem', { name: /hi\.txt/ })).toBeVisible();
  const kinds = posts(server).map((b) => ((b.tools ?? []) as { type: string; name: string }[]).find((t) => t.name === 'apply_patch')?.type);
  expect(kinds).toEqual(['custom', 'function', 'function']);
});

test('a server whose streams never complete: retried, then a failure card with Retry', async ({ page }) => {
  server = await connect(page, { noCompleted: true });
  await send(page, 'hello');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The stream ended before the response completed.', { timeout: 30_000 });
  await expect(alert.getByRole('button', { name: 'Retry' })).toBeVisible();
  // The first attempt and five retries, each a whole request.
  expect(posts(server)).toHaveLength(6);
});
