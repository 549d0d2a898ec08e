/**
 * MCP servers and skills as a person meets them: an MCP server (the official SDK, Streamable
 * HTTP, CORS, a bearer token) added in Settings, its tools offered sorted after the built-ins,
 * a call approved in the chat; a tool added on the server mid-conversation waits (every request
 * still extends the last exactly) until *Apply now*; the token is nowhere but its own slot.
 * And skills: /skills lists the built-in ones and one written into the workspace, and
 * `$name` hands one over.
 */
import { expect, test, type Page } from '@playwright/test';
import { reply, type Script, type ScriptContext } from '../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../src/model/scripted/server';
import { openWithServer, send, transcript } from '../support/app-page';
import { requestProblems, type LoggedBody } from '../support/invariants';
import { startMcpTestServer, type McpTestServer } from '../support/mcp-server';
import { textTool } from '../support/mcp-test-tools';
import { storedTexts } from '../support/stored-texts';

const KEY = 'sk-mcp-model-24680';
const TOKEN = 'mcp-token-secret-13579';
let model: ScriptedServer | undefined;
let mcp: McpTestServer | undefined;
test.afterEach(async () => {
  await model?.close();
  await mcp?.close();
  model = mcp = undefined;
});

const script: Script = (ctx: ScriptContext) => {
  if (/use the docs/.test(ctx.lastUserText)) {
    return ctx.round === 0
      ? [reply.call('mcp__docs__echo', { text: 'hello from the tab' })]
      : [reply.text(`The server said: ${ctx.lastToolOutput ?? ''}`)];
  }
  return [reply.text(`Noted: ${ctx.lastUserText}`)];
};

const bodies = (s: ScriptedServer) => s.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/responses')).map((r) => r.body as LoggedBody);
const toolNames = (body: LoggedBody) => (body.tools as { name?: string; type: string }[]).map((t) => t.name ?? t.type);

async function addServer(page: Page, url: string): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Add MCP server' }).click();
  const row = page.getByTestId('mcp-server');
  await row.getByLabel('Server name').fill('docs');
  await row.getByLabel('Server URL').fill(url);
  await row.getByLabel('Bearer token').fill(TOKEN);
  await row.getByLabel('Bearer token').press('Tab');
  await expect(row.getByTestId('mcp-status')).toContainText(/ready · \d+ tools/, { timeout: 15_000 });
  await page.screenshot({ path: 'tests/artifacts/settings-mcp.png' });
  await page.keyboard.press('Escape');
}

test('an MCP server from the tab: sorted tools, an approved call, a list change that waits for Apply now, and a token kept secret', async ({
  page,
}) => {
  mcp = await startMcpTestServer({ token: TOKEN });
  model = await startScriptedServer({ requireKey: KEY, script });
  await openWithServer(page, { url: model.url, key: KEY, approval: 'on-request' });
  await addServer(page, mcp.url);

  await send(page, 'please use the docs server');
  const approval = page.getByRole('group', { name: 'Approval request' });
  await expect(approval).toContainText('Call this MCP tool?', { timeout: 15_000 });
  await expect(approval).toContainText('outside the sandbox');
  await expect(approval).toContainText('docs › echo {"text":"hello from the tab"}');
  await approval.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(transcript(page)).toContainText('The server said: echo: hello from the tab');

  const first = bodies(model)[0]!;
  const names = toolNames(first);
  const mcpNames = names.filter((n) => n.startsWith('mcp__'));
  expect(names.slice(0, 6)).toEqual(['exec_command', 'write_stdin', 'apply_patch', 'update_plan', 'request_user_input', 'view_image']);
  expect(mcpNames.length).toBeGreaterThan(3);
  expect(mcpNames).toEqual([...mcpNames].sort());
  expect(names.slice(6)).toEqual(mcpNames);
  // The token went to the MCP server, as a bearer token.
  expect(mcp.requests.some((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

  // The server adds a tool: the conversation's list waits.
  mcp.addTool(textTool('glossary', 'a word list'));
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const list = page.getByTestId('tool-list');
  await expect(list).toContainText('A changed tool list is waiting: adds mcp__docs__glossary', { timeout: 15_000 });
  await expect(list.getByTestId('miss-bytes')).toHaveText(/\d/);
  await page.screenshot({ path: 'tests/artifacts/inspector-tools-waiting.png' });
  await send(page, 'one more message');
  await expect(transcript(page)).toContainText('Noted: one more message');
  const sent = bodies(model);
  expect(toolNames(sent.at(-1)!)).toEqual(names);
  expect(requestProblems(sent)).toEqual([]);

  await list.getByRole('button', { name: 'Apply now' }).click();
  await expect(list).not.toContainText('waiting');
  await send(page, 'and now?');
  await expect(transcript(page)).toContainText('Noted: and now?');
  expect(toolNames(bodies(model).at(-1)!)).toContain('mcp__docs__glossary');

  // The token: in its own slot of localStorage, and nowhere else the app keeps or shows.
  expect(await page.evaluate(() => localStorage.getItem('unroll.mcpSecrets.v1'))).toContain(TOKEN);
  const elsewhere = await storedTexts(page, ['unroll.mcpSecrets.v1']);
  expect(elsewhere).not.toContain(TOKEN);
  expect(elsewhere).toContain('unroll.toolset');
  for (const body of bodies(model)) expect(JSON.stringify(body)).not.toContain(TOKEN);

  await page.getByRole('button', { name: 'Sessions' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Export please use the docs/ }).click();
  const exported = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of exported) chunks.push(chunk as Buffer);
  const file = Buffer.concat(chunks).toString('utf8');
  expect(file).toContain('mcp__docs__echo');
  expect(file).not.toContain(TOKEN);
  // An export leaves the tool list out: someone else's tool descriptions would reach the model unseen.
  expect(file).not.toContain('unroll.toolset');
  await page.getByRole('button', { name: /^Share please use the docs/ }).click();
  const link = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();
  expect(link).not.toContain(TOKEN);
});

test('skills: /skills lists the built-in ones and one written in the workspace; $name hands it over', async ({ page }) => {
  model = await startScriptedServer({ requireKey: KEY, script });
  await openWithServer(page, { url: model.url, key: KEY, approval: 'never' });
  await send(page, 'hello');
  await expect(transcript(page)).toContainText('Noted: hello');
  const section = (bodies(model)[0]!.input as { role?: string; content?: { text?: string }[] }[])[1]!.content![0]!.text!;
  expect(section).toMatch(/^<skills_instructions>\n## Skills\n/);
  expect(section).toContain('- web-page: Build or change a small web page');

  const terminal = page.getByRole('region', { name: 'Terminal' });
  await expect(terminal.locator('.xterm-rows')).toContainText('user@unroll:', { timeout: 30_000 });
  await terminal.locator('.xterm-screen').click();
  await page.keyboard.type(
    "mkdir -p .agents/skills/haiku && printf -- '---\\nname: haiku\\ndescription: Answer in a haiku.\\n---\\nThree lines: 5, 7, 5 syllables.\\n' > .agents/skills/haiku/SKILL.md",
  );
  await page.keyboard.press('Enter');
  await expect(page.getByRole('treeitem', { name: /\.agents/ })).toBeVisible();
  await send(page, '/skills');
  const card = transcript(page).locator('.status').last();
  await expect(card).toContainText('$haiku');
  await expect(card).toContainText('$explain-code');
  await page.screenshot({ path: 'tests/artifacts/chat-skills.png' });

  // "$" offers the skills; Tab completes the one chosen.
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('write about rain, $hai');
  await box.focus();
  await expect(page.getByRole('listbox', { name: 'Skills' })).toContainText('$haiku');
  await box.press('Tab');
  await expect(box).toHaveValue('write about rain, $haiku ');
  await send(page, 'write about rain, $haiku');
  await expect(transcript(page)).toContainText('Noted: write about rain, $haiku');
  await expect(transcript(page)).toContainText("The $haiku skill's instructions went to the model with this message.");
  const input = bodies(model).at(-1)!.input as { role?: string; content?: { text?: string }[] }[];
  const texts = input.map((i) => i.content?.[0]?.text ?? '');
  // The new skill was announced by an appended developer message; the earlier section is untouched.
  expect(texts.filter((t) => t.startsWith('<skills_instructions>'))).toHaveLength(2);
  expect(texts.at(-1)).toBe(
    '<skill>\n<name>haiku</name>\n<path>/home/workspace/.agents/skills/haiku/SKILL.md</path>\nThree lines: 5, 7, 5 syllables.\n</skill>',
  );
  expect(requestProblems(bodies(model))).toEqual([]);
});
