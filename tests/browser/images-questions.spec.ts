/**
 * Images and questions in the chat, in Chromium against the scripted model over HTTP: a pasted
 * image is fitted in the browser and reaches the model as an `input_image` data URL, with its
 * thumbnail in the transcript; `request_user_input` is a card answered by a click (the call's
 * output is the answer JSON) or cancelled by Stop ("aborted by user").
 */
import { expect, test, type Page } from '@playwright/test';
import { reply } from '../../src/model/scripted/index';
import type { ScriptedServer } from '../../src/model/scripted/server';
import { messageBox, openWithServer, scriptedServerForFile, send, transcript } from '../support/app-page';

const KEY = 'sk-images-questions-123';
const QUESTIONS = [
  {
    id: 'runtime',
    header: 'Runtime',
    question: 'Which runtime should the example use?',
    options: [
      { label: 'Node', description: 'Runs in the sandbox as it is.' },
      { label: 'Deno', description: 'Needs an install first.' },
    ],
  },
];

let server: ScriptedServer;
scriptedServerForFile((s) => (server = s), {
  requireKey: KEY,
  script: (ctx) => {
    const answered = ctx.input.some((item) => item.type === 'function_call_output');
    if (/ask/.test(ctx.lastUserText) && !answered) return reply.call('request_user_input', { questions: QUESTIONS });
    return reply.text(`Done: ${ctx.lastToolOutput ?? ctx.lastUserText}`);
  },
});

type Item = { type: string; role?: string; output?: string; content?: { type: string; text?: string; image_url?: string }[] };
const lastInput = (): Item[] => {
  const posts = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/responses'));
  return (posts.at(-1)!.body as { input: Item[] }).input;
};

/** Pastes images drawn in the page: a large opaque one (3000×1500) and a small transparent one. */
async function pasteImages(page: Page): Promise<void> {
  await messageBox(page).evaluate(async (box) => {
    const big = new OffscreenCanvas(3000, 1500);
    const g = big.getContext('2d')!;
    // Noise, so its PNG is large and it is sent as JPEG.
    const pixels = g.createImageData(3000, 1500);
    for (let i = 0; i < pixels.data.length; i += 4) {
      pixels.data[i] = (i * 7) % 256;
      pixels.data[i + 1] = Math.floor(Math.random() * 256);
      pixels.data[i + 2] = (i >> 10) % 256;
      pixels.data[i + 3] = 255;
    }
    g.putImageData(pixels, 0, 0);
    const small = new OffscreenCanvas(40, 40);
    const s = small.getContext('2d')!;
    s.fillStyle = 'rgba(200, 40, 40, 0.5)';
    s.beginPath();
    s.arc(20, 20, 16, 0, Math.PI * 2);
    s.fill();
    const data = new DataTransfer();
    data.items.add(new File([await big.convertToBlob({ type: 'image/png' })], 'noise.png', { type: 'image/png' }));
    data.items.add(new File([await small.convertToBlob({ type: 'image/png' })], 'dot.png', { type: 'image/png' }));
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
}

async function sizeOf(page: Page, url: string): Promise<[number, number]> {
  return page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    return [img.naturalWidth, img.naturalHeight] as [number, number];
  }, url);
}

test('a pasted image is fitted, sent as an input_image data URL and shown as a thumbnail', async ({ page }) => {
  await openWithServer(page, { url: server.url, key: KEY });
  await pasteImages(page);
  const strip = page.getByRole('list', { name: 'Images to send' });
  await expect(strip.getByRole('img')).toHaveCount(2);
  await messageBox(page).fill('What is in these?');
  await page.screenshot({ path: 'tests/artifacts/images-composer.png' });

  // A file that is no image is refused in words; the two images stay.
  await page.getByLabel('Attach images').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(page.getByRole('alert')).toContainText('notes.txt is not an image');
  await expect(strip.getByRole('img')).toHaveCount(2);

  await messageBox(page).press('Enter');
  await expect(transcript(page).getByText('Done: What is in these?')).toBeVisible();
  await expect(strip).toBeHidden();

  const message = lastInput().findLast((item) => item.type === 'message' && item.role === 'user')!;
  expect(message.content!.map((part) => part.type)).toEqual(['input_text', 'input_image', 'input_image']);
  const [, big, small] = message.content!;
  expect(big!.image_url).toMatch(/^data:image\/jpeg;base64,/);
  expect(await sizeOf(page, big!.image_url!)).toEqual([2048, 1024]);
  expect(small!.image_url).toMatch(/^data:image\/png;base64,/);
  expect(await sizeOf(page, small!.image_url!)).toEqual([40, 40]);

  const thumbs = transcript(page).getByRole('list', { name: 'Images of your message' });
  await expect(thumbs.getByRole('img')).toHaveCount(2);
  await expect(thumbs.getByRole('img').first()).toHaveAttribute('src', big!.image_url!);
  await page.screenshot({ path: 'tests/artifacts/images-transcript.png' });

  await thumbs.getByRole('button').first().click();
  const dialog = page.getByRole('dialog', { name: 'Image 1 of your message' });
  await expect(dialog.getByRole('img')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Stored with the session: a reload shows them again.
  await page.reload();
  await expect(transcript(page).getByRole('list', { name: 'Images of your message' }).getByRole('img')).toHaveCount(2);
});

test('a request_user_input card is answered by clicking an option', async ({ page }) => {
  await openWithServer(page, { url: server.url, key: KEY });
  await send(page, 'ask me which runtime');
  const card = page.getByRole('group', { name: 'Question from the agent' });
  await expect(card).toContainText('Which runtime should the example use?');
  await expect(card.getByRole('button', { name: /^Deno/ })).toContainText('Needs an install first.');
  await page.screenshot({ path: 'tests/artifacts/question-card.png' });

  // Keyboard: the options are buttons; Enter on one answers.
  await card.getByRole('button', { name: /^Node/ }).focus();
  await page.keyboard.press('Enter');
  await expect(card).toContainText('Answered: Node');
  await expect(transcript(page).getByText(/^Done: \{"answers"/)).toBeVisible();
  const output = lastInput().find((item) => item.type === 'function_call_output');
  expect(JSON.parse(output!.output!)).toEqual({ answers: { runtime: { answers: ['Node'] } } });
  await page.screenshot({ path: 'tests/artifacts/question-answered.png' });

  // Restored from storage: the question with its answer, from the call and its output.
  await page.reload();
  await expect(page.getByRole('group', { name: 'Question from the agent' })).toContainText('Answered: Node');
});

test('an answer in the person’s own words goes through the Other field', async ({ page }) => {
  await openWithServer(page, { url: server.url, key: KEY });
  await send(page, 'ask again');
  const card = page.getByRole('group', { name: 'Question from the agent' });
  await card.getByLabel('Other').fill('Bun, please');
  await card.getByLabel('Other').press('Enter');
  await expect(card).toContainText('Answered: Bun, please');
  await expect(transcript(page).getByText(/^Done: /)).toBeVisible();
  const output = lastInput().find((item) => item.type === 'function_call_output');
  expect(JSON.parse(output!.output!)).toEqual({ answers: { runtime: { answers: ['Bun, please'] } } });
});

test('Stop while a question waits cancels it: the model gets "aborted by user"', async ({ page }) => {
  await openWithServer(page, { url: server.url, key: KEY });
  await send(page, 'ask me, then I stop');
  const card = page.getByRole('group', { name: 'Question from the agent' });
  await expect(card.getByRole('button', { name: /^Node/ })).toBeVisible();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(card).toContainText('Not answered: the turn was stopped');
  await expect(card.getByRole('button', { name: /^Node/ })).toHaveCount(0);
  await page.screenshot({ path: 'tests/artifacts/question-cancelled.png' });

  await send(page, 'never mind');
  await expect(transcript(page).getByText('Done: never mind')).toBeVisible();
  const output = lastInput().find((item) => item.type === 'function_call_output');
  expect(output!.output).toBe('aborted by user');
});

test('images dropped on the composer: at most four, each removable', async ({ page }) => {
  await openWithServer(page, { url: server.url, key: KEY });
  await page.locator('form.composer').evaluate(async (form) => {
    const data = new DataTransfer();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const canvas = new OffscreenCanvas(20, 20);
      canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
      data.items.add(new File([await canvas.convertToBlob({ type: 'image/png' })], `${name}.png`, { type: 'image/png' }));
    }
    form.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    form.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  const strip = page.getByRole('list', { name: 'Images to send' });
  await expect(strip.getByRole('img')).toHaveCount(4);
  await expect(page.getByRole('alert')).toHaveText('At most 4 images per message: e.png was not attached.');
  await strip.getByRole('button', { name: 'Remove image 1 (a.png)' }).click();
  await expect(strip.getByRole('img')).toHaveCount(3);
  await expect(strip.getByRole('img').first()).toHaveAccessibleName('Image 1: b.png');
  // Images alone make a message.
  await messageBox(page).fill('');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(transcript(page).getByRole('list', { name: 'Images of your message' }).getByRole('img')).toHaveCount(3);
  const message = lastInput().findLast((item) => item.type === 'message' && item.role === 'user')!;
  expect(message.content!.map((part) => part.type)).toEqual(['input_image', 'input_image', 'input_image']);
});

test('a share link too long with its images leaves them out and says so, to the sharer and the viewer', async ({ page, browser }) => {
  await openWithServer(page, { url: server.url, key: KEY });
  await pasteImages(page);
  await expect(page.getByRole('list', { name: 'Images to send' }).getByRole('img')).toHaveCount(2);
  await send(page, 'share these');
  await expect(transcript(page).getByText('Done: share these')).toBeVisible();
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'Share share these' }).click();
  const panel = page.getByRole('region', { name: 'Share link' });
  await expect(panel).toContainText('2 images left out');
  const url = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();
  expect(url).toContain('#share=');
  await page.screenshot({ path: 'tests/artifacts/images-share-panel.png' });

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  await other.goto(url.replace('/#', '/?sandbox=embedded#'));
  await expect(other.getByRole('region', { name: 'Shared session' })).toContainText('The link left out 2 images');
  const thumbs = transcript(other).getByRole('list', { name: 'Images of your message' });
  await expect(thumbs.getByText('Image left out of the share link')).toHaveCount(2);
  await expect(transcript(other).locator('.user')).toContainText('share these');
  await other.screenshot({ path: 'tests/artifacts/images-shared-view.png' });
  await fresh.close();
});
