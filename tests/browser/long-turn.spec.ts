/**
 * A turn of hundreds of rounds keeps the live transcript's DOM bounded: older entries leave the
 * page as the view follows (they come back with "Show earlier messages"), so a long agent run
 * neither grows the DOM without end nor slows the tab.
 */
import { expect, test } from '@playwright/test';
import { reply } from '../../src/model/scripted/index';
import type { ScriptedServer } from '../../src/model/scripted/server';
import { openWithServer, scriptedServerForFile, send, transcript as transcriptOf } from '../support/app-page';

const KEY = 'sk-long-turn-secret-24680';
const ROUNDS = 360;

let server: ScriptedServer;
scriptedServerForFile((s) => (server = s), {
  requireKey: KEY,
  script: (ctx) => (ctx.requestNumber < ROUNDS ? [reply.exec(`echo round ${ctx.requestNumber}`)] : [reply.text('All rounds done.')]),
});

test(`a turn of ${ROUNDS} rounds keeps at most 300 entries in the DOM`, async ({ page }) => {
  test.setTimeout(240_000);
  await openWithServer(page, { url: server.url, key: KEY });
  await send(page, 'run the rounds');

  const transcript = transcriptOf(page);
  await expect(transcript).toContainText('All rounds done.', { timeout: 200_000 });
  const entries = await transcript.locator(':scope > .entry').count();
  expect(entries).toBeGreaterThanOrEqual(150);
  expect(entries).toBeLessThanOrEqual(300);
  await expect(transcript).toContainText(`round ${ROUNDS - 1}`);
  await expect(transcript).not.toContainText('$ echo round 0 ');

  // The earlier rounds are still there, on request.
  const earlier = transcript.getByRole('button', { name: /Show earlier messages/ });
  await expect(earlier).toBeVisible();
  await earlier.click();
  expect(await transcript.locator(':scope > .entry').count()).toBeGreaterThan(entries);
});
