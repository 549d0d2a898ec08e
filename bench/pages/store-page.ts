/**
 * In Chromium's real IndexedDB: the cost of one append as a session grows, and a long session
 * seeded for the app to reopen. Driven by bench/browser-store.ts through `window.storeBench`.
 */
/// <reference types="vite/client" />
import type { Snapshot } from '../../src/sandbox/snapshot';
import { openSessionStore } from '../../src/store/idb-session-store';
import { shareUrl } from '../../src/store/share';
import { sessionItem, sessionItems, workspaceSnapshot } from '../session-fixture';

export interface AppendRun {
  /** ms of each timed append to the short session (items `small`…). */
  small: number[];
  /** …and to the long one (items `large`…), taken in turns with the short ones. */
  large: number[];
}

declare global {
  interface Window {
    storeBench: {
      appends(small: number, large: number, samples: number): Promise<AppendRun>;
      seed(count: number, lastText: string): Promise<string>;
      shareBytes(items: number, files: number): Promise<{ bytes: number; json: number }>;
    };
  }
}

/**
 * A realistic small project for share links: the first `files` of this repository's own engine
 * sources, each cut to 2.4 KB (real code compresses far less than generated code).
 */
const SOURCES = import.meta.glob('../../src/core/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
function realWorkspace(files: number): Snapshot {
  const entries = Object.entries(SOURCES)
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, files)
    .map(([path, text]) => [path.replace('../../src/', 'src/'), text.slice(0, 2400)]);
  return { format: 'unroll-workspace', version: 1, files: Object.fromEntries(entries), binary: {}, dirs: [] };
}

window.storeBench = {
  async appends(small, large, samples) {
    // Two sessions in one database, appended to in turns, so that anything else that changes
    // over the run (the database's size, the machine's load) weighs on both alike.
    const store = await openSessionStore();
    const short = await store.create({ title: 'Append bench: short' });
    const long = await store.create({ title: 'Append bench: long' });
    for (let i = 0; i < large; i++) await store.append(long.id, sessionItem(i));
    for (let i = 0; i < small; i++) await store.append(short.id, sessionItem(i));
    const run: AppendRun = { small: [], large: [] };
    const timed = async (id: string, seq: number, into: number[]) => {
      const start = performance.now();
      await store.append(id, sessionItem(seq));
      into.push(performance.now() - start);
    };
    for (let k = 0; k < samples; k++) {
      await timed(short.id, small + k, run.small);
      await timed(long.id, large + k, run.large);
    }
    store.close();
    return run;
  },
  async seed(count, lastText) {
    const store = await openSessionStore();
    const meta = await store.create({ title: `Reopen bench ${count}` });
    const items = sessionItems(count - 1);
    for (const item of items) await store.append(meta.id, item);
    await store.append(meta.id, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: lastText }] });
    await store.saveSnapshot(meta.id, workspaceSnapshot(20));
    store.close();
    localStorage.setItem('unroll.lastSession', meta.id);
    return meta.id;
  },
  async shareBytes(items, files) {
    const document = {
      format: 'unroll-session' as const,
      version: 1 as const,
      session: { title: 'A typical session', model: 'gpt-5.1-codex', createdAt: 0, updatedAt: 0 },
      items: sessionItems(items),
      snapshot: realWorkspace(files),
    };
    const link = shareUrl('https://unroll.example/', document);
    return { bytes: link.bytes, json: JSON.stringify(document).length };
  },
};
