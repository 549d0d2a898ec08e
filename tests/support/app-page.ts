/**
 * The app in a browser test, as a person drives it: open it on the embedded sandbox, point it at
 * a model server through Settings, send a message.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export const APP_URL = '/?sandbox=embedded';

export interface ServerChoice {
  /** The server's base URL (ending in /v1). */
  url: string;
  key: string;
  model?: string;
  /** The Provider choice; default Custom. */
  provider?: string;
  /** The Approval policy choice, when the test needs one. */
  approval?: string;
}

/** Opens the app and sets Provider, Base URL, key, model (and approval) in Settings, as typed. */
export async function openWithServer(page: Page, choice: ServerChoice): Promise<void> {
  await page.goto(APP_URL);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Provider').selectOption(choice.provider ?? 'custom');
  await page.getByLabel('Base URL').fill(choice.url);
  await page.getByLabel('API key', { exact: true }).fill(choice.key);
  await page.getByLabel('Model', { exact: true }).fill(choice.model ?? 'unroll-scripted');
  if (choice.approval) await page.getByLabel('Approval policy').selectOption(choice.approval);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
}

export const messageBox = (page: Page): Locator => page.getByRole('textbox', { name: 'Message' });
export const transcript = (page: Page): Locator => page.getByRole('region', { name: 'Transcript' });

/** Types `text` into the message box and presses Enter. */
export async function send(page: Page, text: string): Promise<void> {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
}
