import { expect, test, type Page } from '@playwright/test';
import { addFilePatch, reply, sequence } from '../../src/model/scripted/index';
import type { ScriptedServer } from '../../src/model/scripted/server';
import { openWithServer, scriptedServerForFile, send } from '../support/app-page';

const KEY = 'sk-chat-secret-9876543210';
const PLAN = [
  { step: 'Write greet.js', status: 'completed' },
  { step: 'Update it', status: 'in_progress' },
  { step: 'Explain', status: 'pending' },
];
const UPDATE = ['*** Begin Patch', '*** Update File: greet.js', '@@', '-const who = "world";', '+const who = "class";', '*** End Patch'].join('\n');

// The chat's cards against the scripted model over HTTP: plan, patch diffs, per-turn changes,
// highlighted code, slash commands, queued messages and error advice.
let server: ScriptedServer;
scriptedServerForFile((s) => (server = s), {
  requireKey: KEY,
  script: (ctx) => {
    if (/greet/.test(ctx.lastUserText)) {
      return sequence([
        (c) => [
          reply.call('update_plan', { explanation: 'Small steps', plan: PLAN }),
          reply.patch(c, addFilePatch('greet.js', 'const who = "world";\nconsole.log(`hi ${who}`);\n')),
        ],
        (c) => reply.patch(c, UPDATE),
        () => reply.text('Done. Here is the code:\n\n```js\nconst who = "class";\nconsole.log(`hi ${who}`);\n```\n'),
      ])(ctx);
    }
    if (/slow|this too/.test(ctx.lastUserText)) {
      // Once the command has run, answer the newest user message (the queued one).
      const ran = ctx.input.some((item) => item.type === 'function_call_output');
      return ran ? reply.text(`Saw: ${ctx.lastUserText}`) : reply.exec('touch slow.txt');
    }
    return reply.text('ok');
  },
});

async function connect(page: Page, approval = 'on-request') {
  await openWithServer(page, { url: server.url, key: KEY, approval });
}

test('a turn shows its plan, its patches as diffs, what it changed, and highlighted code', async ({ page }) => {
  await connect(page);
  await send(page, 'greet the class');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  const plan = page.getByRole('region', { name: 'Plan' });
  await expect(plan).toContainText('1/3 done');
  await expect(plan.locator('li[data-status="in_progress"]')).toHaveText(/Update it/);

  const patches = page.getByRole('group', { name: 'Tool call apply_patch' });
  await expect(patches).toHaveCount(2);
  await expect(patches.nth(1).locator('.remove')).toHaveText('-const who = "world";');
  await expect(patches.nth(1).locator('.add')).toHaveText('+const who = "class";');

  const changes = page.getByRole('region', { name: 'Changed in this turn' });
  await expect(changes).toContainText('1 file changed, +2 −0');
  await expect(page.getByLabel('Turn usage')).toContainText('3 requests');
  await expect(page.locator('.assistant .hljs-keyword').first()).toHaveText('const');
  await page.screenshot({ path: 'tests/artifacts/chat-turn.png' });

  await changes.getByRole('button', { name: 'Open in editor' }).click();
  await expect(page.getByRole('tab', { name: /greet\.js/ })).toBeVisible();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('const who = "class";');

  await changes.getByRole('button', { name: 'Side by side' }).click();
  const dialog = page.getByRole('dialog', { name: 'Changes to greet.js' });
  // greet.js is new in this turn: its two lines, both added, and no removed line.
  await expect(dialog.locator('.monaco-editor .line-insert')).toHaveCount(2);
  await expect(dialog.locator('.monaco-editor .line-delete')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('slash commands complete as you type and run', async ({ page }) => {
  await connect(page);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('/st');
  const list = page.getByRole('listbox', { name: 'Commands' });
  await expect(list.getByRole('option')).toHaveText([/\/status/]);
  await page.screenshot({ path: 'tests/artifacts/chat-slash.png' });
  await box.press('Enter');
  const status = page.getByRole('region', { name: 'Status' });
  await expect(status).toContainText('unroll-scripted');
  await expect(status).toContainText('key set');
  await expect(status).not.toContainText(KEY);

  await send(page, 'greet them');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await box.fill('/di');
  await box.press('Tab');
  await expect(box).toHaveValue('/diff');
  await box.press('Enter');
  await expect(page.getByRole('region', { name: 'Changes since the conversation began' })).toContainText('greet.js');

  await send(page, '/clear');
  await expect(page.getByRole('region', { name: 'Transcript' }).locator('.assistant')).toHaveCount(0);
  await send(page, '/new');
  await expect(page.getByText('New conversation. The workspace is unchanged.')).toBeVisible();
});

test('a message typed during a turn is shown as queued, then sent with the turn', async ({ page }) => {
  await connect(page, 'untrusted');
  await send(page, 'slow one');
  const approval = page.getByRole('group', { name: 'Approval request' });
  await expect(approval).toBeVisible();
  await send(page, 'and this too');
  const queued = page.locator('.user.pending');
  await expect(queued).toContainText('queued for the next request');
  await approval.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.locator('.assistant').last()).toHaveText('Saw: and this too');
  await expect(page.locator('.user.pending')).toHaveCount(0);
});

test('an exhausted quota gives a card that says what to do', async ({ page }) => {
  await connect(page);
  server.faults.push({
    status: 429,
    body: { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' } },
  });
  await send(page, 'anything');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The account is out of quota');
  await expect(alert).toContainText('billing');
});
