/**
 * The workspace-site preview in the production build (embedded sandbox), as a person meets it:
 * - first paint: a page written in the terminal (`printf … > index.html` after its module and
 *   stylesheet) until its heading shows in the preview frame;
 * - reload after an edit: `main.ts` rewritten in the terminal until the new text shows;
 * - whether the transformer (Sucrase, es-module-lexer) is in the JS fetched until the composer
 *   is usable (it must load only with the first preview);
 * and, in Node, the transform of a 2 000-line TSX file. Times are taken from pressing Enter on
 * the command to the frame showing the result (Playwright's view of the page), median of runs.
 */
import type { Browser, Page } from 'playwright-core';
import { transformModule, loadTransformer } from '../src/sandbox/site/transform';
import type { ServedApp } from './browser-app';
import { SourceMaps } from './browser-sourcemap';
import { summary, type Summary } from './browser-start';

export interface SiteReport {
  firstPaint: Summary;
  reload: Summary;
  transform2000Ms: Summary;
  /** The first transform of the page's life, before the engine optimised the transformer. */
  transform2000FirstMs: number;
  /** Bytes of the transformer's packages in the JS fetched until the composer was usable. */
  transformerBytesBeforeUsable: number;
  runs: number;
}

const FRAME = 'iframe[title="Preview of the workspace site"]';

async function typeCommand(page: Page, line: string): Promise<void> {
  await page.locator('.xterm-screen').click();
  await page.keyboard.type(line, { delay: 0 });
}

async function timed(page: Page, command: string, done: () => Promise<unknown>): Promise<number> {
  await typeCommand(page, command);
  const started = performance.now();
  await page.keyboard.press('Enter');
  await done();
  return performance.now() - started;
}

async function oneRun(browser: Browser, app: ServedApp, outDir: string): Promise<{ paint: number; reload: number; transformerBytes: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const fetched: string[] = [];
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === app.url && url.pathname.endsWith('.js')) fetched.push(url.pathname.slice(1));
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/?sandbox=embedded`);
    await page.getByRole('button', { name: 'Send' }).waitFor();
    const maps = new SourceMaps(outDir);
    const transformerBytes = [...new Set(fetched)]
      .flatMap((file) => maps.composition(file))
      .filter((part) => /sucrase|es-module-lexer/.test(part.origin))
      .reduce((total, part) => total + part.bytes, 0);
    await page.locator('.xterm-rows', { hasText: 'user@unroll' }).waitFor();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await typeCommand(page, `printf '%s\\n' 'h1 { color: rgb(20, 90, 160); }' > style.css`);
    await page.keyboard.press('Enter');
    await typeCommand(page, `printf '%s\\n' "document.querySelector('h1')!.textContent = 'painted ' + (1 as number);" > main.ts`);
    await page.keyboard.press('Enter');
    const frame = page.frameLocator(FRAME);
    const paint = await timed(
      page,
      `printf '%s\\n' '<!doctype html><link rel="stylesheet" href="style.css"><h1>static</h1><script type="module" src="main.ts"></script>' > index.html`,
      () => frame.locator('h1', { hasText: 'painted 1' }).waitFor({ timeout: 10_000 }),
    );
    const reload = await timed(page, `printf '%s\\n' "document.querySelector('h1')!.textContent = 'edited ' + (2 as number);" > main.ts`, () =>
      frame.locator('h1', { hasText: 'edited 2' }).waitFor({ timeout: 10_000 }),
    );
    return { paint, reload, transformerBytes };
  } finally {
    await context.close();
  }
}

/** A TSX file of `lines` lines: components, types, generics and JSX, as people write them. */
export function tsxSource(lines: number): string {
  const out = ["import { helper } from './helper';", 'type Item = { id: number; name: string; tags?: string[] };'];
  let i = 0;
  while (out.length + 9 < lines) {
    out.push(
      `export interface Props${i} { items: Item[]; onPick?: (item: Item) => void; title: string }`,
      `export function List${i}({ items, onPick, title }: Props${i}) {`,
      `  const sorted = [...items].sort((a: Item, b: Item) => a.name.localeCompare(b.name)) as Item[];`,
      `  return (`,
      `    <section className="list-${i}" aria-label={title}>`,
      `      {sorted.map((item) => <button key={item.id} onClick={() => onPick?.(item)}>{helper(item.name)}</button>)}`,
      `    </section>`,
      `  );`,
      `}`,
    );
    i++;
  }
  while (out.length < lines - 1) out.push(`// ${out.length + 1}`);
  out.push('export default List0;');
  return out.join('\n');
}

/** The first transform after loading (the engine has not optimised the transformer yet), then warm ones. */
async function transformRuns(runs: number): Promise<{ first: number; warm: number[] }> {
  await loadTransformer();
  const source = tsxSource(2_000);
  const context = { exists: (path: string) => path === '/helper.ts', mapped: new Set<string>() };
  const time = async (name: string) => {
    const started = performance.now();
    await transformModule(name, source, context);
    return performance.now() - started;
  };
  const first = await time('/first.tsx');
  for (let i = 0; i < 4; i++) await time(`/warm${i}.tsx`);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await time(`/app${i}.tsx`));
  return { first, warm };
}

export async function siteBench(browser: Browser, app: ServedApp, outDir: string, runs: number): Promise<SiteReport> {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await oneRun(browser, app, outDir));
  return {
    firstPaint: summary(results.map((r) => r.paint)),
    reload: summary(results.map((r) => r.reload)),
    ...(await transformRuns(Math.max(9, runs * 3)).then(({ first, warm }) => ({ transform2000Ms: summary(warm), transform2000FirstMs: first }))),
    transformerBytesBeforeUsable: Math.max(...results.map((r) => r.transformerBytes)),
    runs,
  };
}
