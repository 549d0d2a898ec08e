import { expect, test, type Locator, type Page } from '@playwright/test';
import { addFilePatch, reply, sequence } from '../../src/model/scripted/index';
import type { ScriptedServer } from '../../src/model/scripted/server';
import { openWithServer, scriptedServerForFile, send } from '../support/app-page';

const KEY = 'sk-cards-secret-1234567890';
const LONG_LINE = `const settings = { ${Array.from({ length: 14 }, (_, i) => `option${i}: "value-${i}"`).join(', ')} };`;
/** A typical table: a turn's changes, four short columns. */
const TYPICAL_TABLE = [
  '| File | Status | Lines | Tests |',
  '|---|---|---|---|',
  '| `src/app/chat-entries.ts` | modified | +42 −7 | passing |',
  '| `src/ui/chat/ToolCard.svelte` | modified | +12 −3 | passing |',
].join('\n');
const WIDE_TABLE = [
  '| Setting | Default | Environment variable | Configuration file key | Description |',
  '|---|---|---|---|---|',
  '| approvals | on-request | UNROLL_APPROVAL_POLICY | approvalPolicy.defaultValue | who is asked before a command runs |',
].join('\n');

// The chat's cards at 1280×800 against the scripted model over HTTP: how a tool call's outcome
// and output read, the approval of a patch, queued messages, and wide tables and diffs.
let server: ScriptedServer;
scriptedServerForFile((s) => (server = s), {
  requireKey: KEY,
  script: (ctx) => {
    if (/missing/.test(ctx.lastUserText)) {
      return sequence([
        () => [reply.reasoning('The file may not exist; cat will tell.'), reply.exec('cat missing.txt')],
        () => reply.exec('echo fine'),
        () => reply.text('The first command failed, the second worked.'),
      ])(ctx);
    }
    if (/patch/.test(ctx.lastUserText)) {
      return sequence([(c) => reply.patch(c, addFilePatch('settings.js', `${LONG_LINE}\n`)), () => reply.text('Added.')])(ctx);
    }
    if (/table/.test(ctx.lastUserText)) return reply.text(`Here is what changed:\n\n${TYPICAL_TABLE}\n\nAnd the settings:\n\n${WIDE_TABLE}\n`);
    if (/slow|this too/.test(ctx.lastUserText)) {
      const ran = ctx.input.some((item) => item.type === 'function_call_output');
      return ran ? reply.text(`Saw: ${ctx.lastUserText}`) : reply.exec('touch slow.txt');
    }
    return reply.text('ok');
  },
});

async function connect(page: Page, approval = 'never') {
  await openWithServer(page, { url: server.url, key: KEY, approval });
}

/** Lines of text an element's content is laid out on (one rect per line fragment). */
function lineCount(cell: Locator): Promise<number> {
  return cell.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });
}

test('a failed command reads as failed, a passing one as passed, and cards show the output without the header the model reads', async ({ page }) => {
  await connect(page);
  await send(page, 'read the missing file');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  const cards = page.getByRole('group', { name: 'Tool call exec_command' });
  await expect(cards).toHaveCount(2);
  const failed = cards.filter({ hasText: '$ cat missing.txt' });
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect(failed.locator('.status')).toHaveText(/^✗ exit [1-9]\d* · \d+ ms$/);
  // Styled as failed: the status in the danger colour of the card's border, unlike a pass's.
  const colour = (l: Locator, property: 'color' | 'borderTopColor') => l.evaluate((e, p) => getComputedStyle(e)[p], property);
  expect(await colour(failed.locator('.status'), 'color')).toBe(await colour(failed, 'borderTopColor'));
  await expect(failed.locator('.output')).toContainText('missing.txt');
  const passed = cards.filter({ hasText: '$ echo fine' });
  await expect(passed).toHaveAttribute('data-status', 'ok');
  await expect(passed.locator('.status')).toHaveText(/^✓ exit 0 · \d+ ms$/);
  await expect(passed.locator('.output')).toHaveText('fine\n');
  expect(await colour(passed.locator('.status'), 'color')).not.toBe(await colour(failed.locator('.status'), 'color'));
  for (const card of [failed, passed]) {
    await expect(card).not.toContainText('Wall time');
    await expect(card).not.toContainText('Process exited');
    await expect(card).not.toContainText('Output:');
  }

  // The turn summary and the Inspector say "output · reasoning" with the same separator.
  await expect(page.getByLabel('Turn usage')).toHaveText(/ [\d,]+ output · [\d,]+ reasoning/);
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const inspector = page.getByTestId('inspector-pane');
  await inspector.getByRole('list', { name: 'Rounds' }).getByRole('button').nth(0).click();
  await expect(inspector.getByText(/^Server usage:/)).toHaveText(/^Server usage: [\d,]+ input \([\d,]+ cached\) · [\d,]+ output · [\d,]+ reasoning$/);

  // The Inspector still has the exact text the model read: round 2's last part, opened.
  await inspector.getByRole('list', { name: 'Rounds' }).getByRole('button').nth(1).click();
  const parts = inspector.getByRole('list', { name: 'Request parts' });
  const output = parts.getByRole('button', { name: /function_call_output/ }).last();
  await expect(output).toHaveAttribute('aria-expanded', 'false');
  await output.click();
  await expect(output).toHaveAttribute('aria-expanded', 'true');
  const content = page.locator(`#${await output.getAttribute('aria-controls')}`);
  await expect(content).toContainText(/Wall time: [\d.]+ seconds\\nProcess exited with code [1-9]/);
  await output.click();
  await expect(content).toHaveCount(0);
});

test('a patch waiting for approval shows its diff once', async ({ page }) => {
  await connect(page, 'untrusted');
  await send(page, 'patch it');
  const approval = page.getByRole('group', { name: 'Approval request' });
  await expect(approval).toContainText('Apply this patch?');
  await expect(approval).toContainText('settings.js');
  await expect(page.locator('.diff .add', { hasText: 'option13' })).toHaveCount(1);
  await expect(page.getByRole('group', { name: 'Tool call apply_patch' }).locator('.diff .add')).toContainText('option13');
  await approval.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(page.locator('.tool, .approval').locator('.diff .add', { hasText: 'option13' })).toHaveCount(1);
});

test('a message queued while the model answers stays below what was shown before it, in order', async ({ page }) => {
  await connect(page);
  await page.getByLabel('Step through').check();
  await send(page, 'slow one');
  const step = page.getByRole('group', { name: 'Next step' }).last();
  await expect(step).toContainText('Next: request 1');
  await send(page, 'and this too');
  await expect(page.locator('.user.pending')).toContainText('queued for the next request');
  await step.getByRole('button', { name: 'Continue' }).click();
  await expect(step).toContainText('$ touch slow.txt');
  const order = () =>
    page
      .getByRole('region', { name: 'Transcript' })
      .locator('.entry')
      .evaluateAll((entries) =>
        entries.map((e) => {
          const user = e.querySelector('.user');
          if (user) return `user: ${user.textContent!.replace(/queued for the next request|Fork from here/g, '').trim()}`;
          return e.querySelector('.tool') ? 'tool' : e.querySelector('.step') ? 'step' : 'other';
        }),
      );
  // What the turn shows after the message was typed goes above it while it waits…
  expect((await order()).filter((e) => e !== 'other')).toEqual(['user: slow one', 'step', 'step', 'user: and this too']);
  await step.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('group', { name: 'Tool call exec_command' })).toContainText('✓');
  // …and it is sent after the tool's output, with the next request, where it stays.
  await expect(step).toContainText('Next: request 2');
  expect((await order()).filter((e) => e !== 'other')).toEqual(['user: slow one', 'step', 'step', 'tool', 'user: and this too', 'step']);
  await step.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.assistant').last()).toHaveText('Saw: and this too');
  await expect(page.locator('.user.pending')).toHaveCount(0);
  expect((await order()).filter((e) => e !== 'other')).toEqual(['user: slow one', 'step', 'step', 'tool', 'user: and this too', 'step']);
});

test('at the default width a typical table fits the chat; wider tables and diffs scroll inside their own box', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await connect(page);
  await send(page, 'patch it');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await send(page, 'show the table');
  await expect(page.locator('.assistant table')).toHaveCount(2);
  const transcript = page.getByRole('region', { name: 'Transcript' });
  const inside = async (box: Locator) => {
    const [outer, inner] = [await transcript.boundingBox(), await box.boundingBox()];
    expect(inner!.x).toBeGreaterThanOrEqual(outer!.x - 1);
    expect(inner!.x + inner!.width).toBeLessThanOrEqual(outer!.x + outer!.width + 1);
  };

  // The typical table: every cell on one line, no scrolling.
  const typical = page.locator('.assistant table').first();
  for (const cell of await typical.locator('td, th').all()) expect(await lineCount(cell)).toBe(1);
  expect(await typical.evaluate((t) => t.scrollWidth <= t.clientWidth)).toBe(true);
  await inside(typical);

  // The wide one: words stay whole and the table scrolls sideways inside the chat.
  const wide = page.locator('.assistant table').last();
  for (const cell of await wide.locator('td, th').all()) {
    const words = ((await cell.textContent()) ?? '').trim().split(/[\s-]+/).length;
    expect(await lineCount(cell)).toBeLessThanOrEqual(words);
  }
  await inside(wide);
  expect(await wide.evaluate((t) => t.scrollWidth > t.clientWidth)).toBe(true);
  expect(await wide.evaluate((t) => getComputedStyle(t).overflowX)).toBe('auto');

  // The patch's long line: one line, scrolled inside the diff's box.
  const diff = page.getByRole('group', { name: 'Tool call apply_patch' }).locator('.diff');
  await inside(diff);
  const line = diff.locator('.add', { hasText: 'option13' });
  expect(await lineCount(line)).toBe(1);
  expect(await diff.evaluate((d) => d.scrollWidth > d.clientWidth)).toBe(true);
  expect(await diff.evaluate((d) => getComputedStyle(d).overflowX)).toBe('auto');
  // Scrolled to its end, the whole line has been in view inside the box.
  expect(await diff.evaluate((d) => ((d.scrollLeft = d.scrollWidth), d.scrollLeft > 0 && d.scrollLeft + d.clientWidth >= d.scrollWidth - 1))).toBe(
    true,
  );
});
