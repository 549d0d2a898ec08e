/**
 * The app in a browser test, as a person drives it: open it on the embedded sandbox, point it at
 * a model server through Settings (the scripted one, started for the spec file), send a message.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startScriptedServer, type ScriptedServer, type ScriptedServerOptions } from '../../src/model/scripted/server';

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

/** Starts the scripted model server with `options` before the calling spec file's tests, hands it to `use`, and closes it after them. */
export function scriptedServerForFile(use: (server: ScriptedServer) => void, options: ScriptedServerOptions): void {
  let server: ScriptedServer | undefined;
  test.beforeAll(async () => {
    server = await startScriptedServer(options);
    use(server);
  });
  test.afterAll(async () => server?.close());
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
