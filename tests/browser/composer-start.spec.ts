/**
 * The composer is one element for the page's whole life: typing that starts while the app is
 * still opening its session goes on, unbroken, once the session arrives, and /new cannot
 * swallow what is typed next.
 */
import { expect, test, type Page } from '@playwright/test';

/** Opening the database takes a while, as on a slow disk: the session arrives late. */
async function slowDatabase(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
      const request = open.apply(this, args);
      const native = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'onsuccess')!;
      let handler: ((event: Event) => void) | null = null;
      Object.defineProperty(request, 'onsuccess', {
        get: () => handler,
        set(value: (event: Event) => void) {
          handler = value;
          native.set!.call(request, (event: Event) => setTimeout(() => handler?.call(request, event), 800));
        },
      });
      return request;
    } as IDBFactory['open'];
  });
}

test('in the message box before the session arrives, nothing is put under the caret', async ({ page }) => {
  await slowDatabase(page);
  await page.goto('/?sandbox=embedded');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  // The session is there once the transcript offers the lessons.
  await expect(page.getByRole('region', { name: 'Transcript' })).toContainText('Ask for the hello demo', { timeout: 30_000 });
  // The demo's suggestion would have been typed into: the box stays as the person left it.
  await expect(box).toHaveValue('');
  await page.keyboard.type('say hi');
  await expect(box).toHaveValue('say hi');
});

test('the demo suggests its first prompt when nobody is in the message box yet', async ({ page }) => {
  await slowDatabase(page);
  await page.goto('/?sandbox=embedded');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('Give me the hello demo', { timeout: 30_000 });
});

test('typing across the moment the session arrives loses no keystroke and sends', async ({ page }) => {
  // The session arrives mid-typing.
  await slowDatabase(page);
  await page.goto('/?sandbox=embedded');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.fill('');
  await page.keyboard.type('Give me the hello demo, typed slowly', { delay: 60 });
  await expect(box).toHaveValue('Give me the hello demo, typed slowly');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Transcript' }).locator('.user').first()).toHaveText(/typed slowly/);
  await expect(page.getByText('$ ls -la')).toBeVisible();
});

test('what is typed right after /new goes to the new conversation', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('first chat');
  await box.press('Enter');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await box.fill('/new');
  await box.press('Enter');
  await box.fill('second chat');
  await box.press('Enter');
  const users = page.getByRole('region', { name: 'Transcript' }).locator('.user');
  await expect(users).toHaveCount(1);
  await expect(users.first()).toContainText('second chat');
  await page.getByRole('button', { name: 'Sessions' }).click();
  await expect(page.getByRole('list', { name: 'Saved sessions' }).getByRole('listitem').first()).toContainText('second chat');
});
