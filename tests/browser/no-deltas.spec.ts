import { expect, test } from '@playwright/test';
import { reply } from '../../src/model/scripted/index';
import type { ScriptedServer } from '../../src/model/scripted/server';
import { openWithServer, scriptedServerForFile } from '../support/app-page';

const KEY = 'sk-no-deltas-secret-1357924680';
const ANSWER = 'Forty-two, sent whole without a single delta.';
const SUMMARY = 'Weighing it up';

// A server that streams whole items only (output_item.added/.done, no *.delta events), over
// HTTP: the answer and its reasoning show live in the chat and in the Inspector's round view.
let server: ScriptedServer;
scriptedServerForFile((s) => (server = s), {
  requireKey: KEY,
  noDeltas: true,
  eventDelayMs: 5,
  script: () => [reply.reasoning(SUMMARY), reply.text(ANSWER)],
});

test('an answer streamed without deltas shows live in the chat and in the round view', async ({ page }) => {
  await openWithServer(page, { url: server.url, key: KEY });

  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('what is the answer?');
  await box.press('Enter');

  const transcript = page.getByRole('region', { name: 'Transcript' });
  await expect(transcript).toContainText(ANSWER);
  await expect(transcript).toContainText(SUMMARY);
  await expect(transcript.getByText(ANSWER)).toHaveCount(1);
  expect(navigations).toBe(0);

  // Every event the server sent was a whole item: no delta reached the app.
  const logged = server.requests.filter((r) => r.method === 'POST' && r.path.includes('/responses'));
  expect(logged).toHaveLength(1);

  await page.getByRole('tab', { name: 'Inspector' }).click();
  const inspector = page.getByTestId('inspector-pane');
  const rounds = inspector.getByRole('list', { name: 'Rounds' }).getByRole('button');
  await expect(rounds).toHaveCount(1);
  await rounds.first().click();
  const events = inspector.getByRole('list', { name: 'Response events' });
  await expect(events).toContainText('response.output_item.done');
  await expect(events).not.toContainText('delta');
  const output = inspector.getByRole('list', { name: 'Response output' });
  await expect(output).toContainText(ANSWER);
  await expect(output).toContainText(SUMMARY);
  expect(navigations).toBe(0);
});
