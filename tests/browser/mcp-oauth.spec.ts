/**
 * Signing in to an MCP server that asks for OAuth, as a person does it: the server added in
 * Settings says it needs a sign-in; *Sign in* opens a window that goes through the (test)
 * authorization server and back to the app's callback page, which hands the code over and
 * closes; the server is then ready with its tools, and a tool call in the chat carries the
 * token. The token is in the MCP secrets slot of localStorage and nowhere else; *Sign out*
 * forgets it. And a sign-in page that waits for the person: a window closed there cannot be
 * seen from the (cross-origin isolated) app, so *Cancel sign-in* ends the wait.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { reply, type Script, type ScriptContext } from '../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../src/model/scripted/server';
import { APP_URL, openWithServer, send, transcript } from '../support/app-page';
import { startMcpTestServer, type McpTestServer } from '../support/mcp-server';
import { startOAuthTestServer, type OAuthTestServer } from '../support/oauth-server';
import { storedTexts } from '../support/stored-texts';

const KEY = 'sk-mcp-oauth-model-11223';
const SECRETS_KEY = 'unroll.mcpSecrets.v1';
let model: ScriptedServer | undefined;
let mcp: McpTestServer | undefined;
let auth: OAuthTestServer | undefined;
test.afterEach(async () => {
  await model?.close();
  await mcp?.close();
  await auth?.close();
  model = mcp = auth = undefined;
});

const script: Script = (ctx: ScriptContext) =>
  ctx.round === 0
    ? [reply.call('mcp__docs__echo', { text: 'signed in from the tab' })]
    : [reply.text(`The server said: ${ctx.lastToolOutput ?? ''}`)];

/** Opens Settings and adds the MCP server at `url` as "docs"; returns its row and the row's status. */
async function addDocsServer(page: Page, url: string): Promise<{ row: Locator; status: Locator }> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Add MCP server' }).click();
  const row = page.getByTestId('mcp-server');
  await row.getByLabel('Server name').fill('docs');
  await row.getByLabel('Server URL').fill(url);
  return { row, status: row.getByTestId('mcp-status') };
}

test('an MCP server that asks for OAuth: Sign in through the popup, ready with its tools, the token kept in its slot only', async ({ page }) => {
  auth = await startOAuthTestServer();
  mcp = await startMcpTestServer({ oauth: auth });
  model = await startScriptedServer({ requireKey: KEY, script });
  await openWithServer(page, { url: model.url, key: KEY, approval: 'never' });

  const { row, status } = await addDocsServer(page, mcp.url);
  await expect(status).toHaveText('needs sign-in: the server asks you to sign in', { timeout: 15_000 });
  await expect(row.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await row.getByRole('button', { name: 'Sign in' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'tests/artifacts/settings-mcp-needs-sign-in.png' });

  const opened = page.waitForEvent('popup');
  await row.getByRole('button', { name: 'Sign in' }).click();
  const popup = await opened;
  const popupProblems: string[] = [];
  popup.on('console', (message) => {
    if (/Content Security Policy|error/i.test(message.text())) popupProblems.push(message.text());
  });
  popup.on('pageerror', (err) => popupProblems.push(err.message));

  await expect(status).toHaveText(/^ready · 7 tools · signed in$/, { timeout: 15_000 });
  await expect(row.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  // The window went through the authorization server and the callback page, then closed itself.
  expect(auth.requests.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /register', 'GET /authorize', 'POST /token']));
  const authorize = auth.requests.find((r) => r.path === '/authorize')!.params;
  expect(authorize).toMatchObject({ code_challenge_method: 'S256', redirect_uri: new URL('/mcp-oauth-callback.html', page.url()).href });
  await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
  expect(popupProblems).toEqual([]);
  await page.screenshot({ path: 'tests/artifacts/settings-mcp-oauth.png' });
  await page.keyboard.press('Escape');

  // A call from the chat goes with the token.
  await send(page, 'use the docs server');
  await expect(transcript(page)).toContainText('The server said: echo: signed in from the tab', { timeout: 15_000 });
  const [token] = auth.issued().access;
  expect(token).toBeTruthy();
  expect(mcp.requests.some((r) => r.rpc.includes('tools/call') && r.headers.authorization === `Bearer ${token}`)).toBe(true);

  // The token: in the MCP secrets slot, and nowhere else the app keeps or shows.
  expect(await page.evaluate((key) => localStorage.getItem(key), SECRETS_KEY)).toContain(token!);
  const elsewhere = await storedTexts(page, [SECRETS_KEY]);
  expect(elsewhere).toContain('unroll.tools.v1');
  for (const secret of [...auth.issued().access, ...auth.issued().refresh, ...auth.issued().codes]) expect(elsewhere).not.toContain(secret);
  for (const request of model.requests) expect(String(JSON.stringify(request.body))).not.toContain(token!);

  // Sign out: the tokens are forgotten and the server asks again.
  await page.getByRole('button', { name: 'Settings' }).click();
  await row.getByRole('button', { name: 'Sign out' }).click();
  await expect(status).toHaveText('needs sign-in: the server asks you to sign in');
  await expect(row.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate((key) => localStorage.getItem(key) ?? '', SECRETS_KEY)).not.toContain(token!);
});

test('a sign-in page that waits: a closed window is cancelled with Cancel sign-in, and Allow signs in', async ({ page }) => {
  auth = await startOAuthTestServer({ consentPage: true });
  mcp = await startMcpTestServer({ oauth: auth });
  await page.goto(APP_URL);
  const { row, status } = await addDocsServer(page, mcp.url);
  await expect(row.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 15_000 });

  let opened = page.waitForEvent('popup');
  await row.getByRole('button', { name: 'Sign in' }).click();
  let popup = await opened;
  await expect(popup.getByRole('link', { name: 'Allow' })).toBeVisible();
  await expect(status).toHaveText('signing in: finish in the sign-in window (or Cancel)');
  await page.screenshot({ path: 'tests/artifacts/settings-mcp-signing-in.png' });
  await popup.close();
  await row.getByRole('button', { name: 'Cancel sign-in' }).click();
  await expect(status).toHaveText('needs sign-in: the sign-in did not finish: the sign-in was cancelled');

  opened = page.waitForEvent('popup');
  await row.getByRole('button', { name: 'Sign in' }).click();
  popup = await opened;
  await popup.getByRole('link', { name: 'Allow' }).click();
  await expect(status).toHaveText(/^ready · 7 tools · signed in$/, { timeout: 15_000 });
  await expect.poll(() => popup.isClosed(), { timeout: 10_000 }).toBe(true);
  expect(auth.requests.filter((r) => r.path === '/token')).toHaveLength(1);
});
