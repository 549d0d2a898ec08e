/**
 * In Chromium's real IndexedDB: the cost of one append as a session grows, and a long session
 * seeded for the app to reopen. Driven by bench/browser-store.ts through `window.storeBench`.
 */
/// <reference types="vite/client" />
import { SessionRecorder } from '../../src/app/session-recorder';
import { WorkspaceTracker } from '../../src/app/workspace-tracker';
import { createEmbeddedSandbox } from '../../src/sandbox/embedded';
import type { Snapshot } from '../../src/sandbox/snapshot';
import { openDatabase, type Database } from '../../src/store/db';
import { checkDocument } from '../../src/store/export';
import { createSessionStore, openSessionStore } from '../../src/store/idb-session-store';
import { stateFromSnapshot } from '../../src/store/manifests';
import type { SessionStore } from '../../src/store/session-store';
import { shareUrl } from '../../src/store/share';
import { sessionItem, sessionItems, workspaceSnapshot } from '../session-fixture';

export interface AppendRun {
  /** ms of each timed append to the short session (items `small`…). */
  small: number[];
  /** …and to the long one (items `large`…), taken in turns with the short ones. */
  large: number[];
}

export interface SaveRun {
  /** ms from asking for the save to its transaction's commit, per one-line edit. */
  ms: number[];
  /** Bytes handed to IndexedDB per save (file contents as their length, records as JSON). */
  bytes: number[];
  /** The first save of the whole workspace, for comparison. */
  firstMs: number;
  firstBytes: number;
}

/** The store's database port, counting what each transaction writes. */
function countingDatabase(db: Database, counter: { bytes: number }): Database {
  return {
    close: () => db.close(),
    transact: (stores, mode, body) =>
      db.transact(stores, mode, (tables) => {
        // Only the stores of this transaction: touching another one throws.
        const wrapped = {} as typeof tables;
        for (const name of stores) {
          const inner = tables[name];
          wrapped[name] = {
            ...inner,
            get: (key) => inner.get(key),
            delete: (q) => inner.delete(q),
            getAll: (r) => inner.getAll(r),
            getAllKeys: (r) => inner.getAllKeys(r),
            put: (value, key) => {
              counter.bytes += value instanceof Uint8Array ? value.byteLength : new TextEncoder().encode(JSON.stringify(value)).length;
              return inner.put(value, key);
            },
          };
        }
        return body(wrapped);
      }),
  };
}

/** A module of about `bytes` bytes whose line `k` can be told apart. */
function moduleText(f: number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let k = 0; size < bytes; k++) {
    const line = `export const value_${f}_${k} = ${k * 7 + f}; // line ${k} of module ${f}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

declare global {
  interface Window {
    storeBench: {
      appends(small: number, large: number, samples: number): Promise<AppendRun>;
      seed(count: number, lastText: string): Promise<string>;
      seedTurns(turns: number, lastText: string): Promise<string>;
      workspaceSaves(files: number, fileBytes: number, samples: number): Promise<SaveRun>;
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
    await saveSnapshot(store, meta.id, workspaceSnapshot(20));
    store.close();
    localStorage.setItem('unroll.lastSession', meta.id);
    return meta.id;
  },
  async seedTurns(turns, lastText) {
    // Each turn: its 8 items, a file it changed (a new manifest) and its turn record.
    const store = await openSessionStore();
    const meta = await store.create({ title: `Reopen bench ${turns} turns` }, { ...stateAndBlobs(workspaceSnapshot(20)), reason: 'new' });
    let prev = (await store.load(meta.id)).workspace;
    const snapshot = workspaceSnapshot(20);
    for (let t = 0; t < turns; t++) {
      const before = prev;
      for (let i = 0; i < 8; i++) {
        const item =
          t === turns - 1 && i === 7
            ? { type: 'message' as const, role: 'assistant' as const, content: [{ type: 'output_text' as const, text: lastText }] }
            : sessionItem(t * 8 + i);
        await store.append(meta.id, item);
      }
      snapshot.files[`src/module-${String(t % 20).padStart(2, '0')}.ts`] += `// turn ${t}\n`;
      const { state, blobs } = stateFromSnapshot(snapshot);
      prev = (await store.saveWorkspace(meta.id, { prev, next: state, blobs, reason: 'turn' })).manifest;
      await store.appendControl(meta.id, {
        type: 'unroll.turn',
        reason: 'completed',
        usage: { input_tokens: 9000, cached_tokens: 8000, output_tokens: 400, reasoning_tokens: 100, total_tokens: 9400, requests: 3 },
        ms: 4200,
        before: before?.n ?? null,
        after: prev?.n ?? null,
      });
    }
    store.close();
    localStorage.setItem('unroll.lastSession', meta.id);
    return meta.id;
  },
  async workspaceSaves(files, fileBytes, samples) {
    // The real saving path: the embedded sandbox's change events, the tracker, the recorder.
    const counter = { bytes: 0 };
    const store = createSessionStore(countingDatabase(await openDatabase({ name: `unroll-bench-saves-${Date.now()}` }), counter));
    const sandbox = createEmbeddedSandbox();
    await sandbox.boot();
    const root = sandbox.describe().root;
    for (let f = 0; f < files; f++) await sandbox.fs.writeFile(`${root}/src/dir${f % 20}/module${f}.ts`, moduleText(f, fileBytes));
    const meta = await store.create({ title: 'Save bench' });
    const tracker = new WorkspaceTracker(sandbox.fs, root, () => sandbox.snapshot(), null);
    const recorder = new SessionRecorder(store, { sessionId: meta.id, records: 0, manifest: null, tracker, saveDelayMs: 60_000, maxDelayMs: 60_000 });
    const unwatch = sandbox.fs.watch((change) => tracker.mark(change));
    let start = performance.now();
    counter.bytes = 0;
    await recorder.saveWorkspace('save');
    const run: SaveRun = { ms: [], bytes: [], firstMs: performance.now() - start, firstBytes: counter.bytes };
    for (let k = 0; k < samples; k++) {
      const f = (k * 37) % files;
      const path = `${root}/src/dir${f % 20}/module${f}.ts`;
      const text = await sandbox.fs.readFile(path);
      await sandbox.fs.writeFile(path, text.replace(`line ${k % 40} of`, `line ${k % 40} (edited ${k}) of`));
      counter.bytes = 0;
      start = performance.now();
      await recorder.saveWorkspace('save');
      run.ms.push(performance.now() - start);
      run.bytes.push(counter.bytes);
    }
    unwatch();
    recorder.dispose();
    store.close();
    await sandbox.dispose();
    return run;
  },
  async shareBytes(items, files) {
    const checked = checkDocument({
      format: 'unroll-session',
      version: 1,
      session: { title: 'A typical session', model: 'gpt-5.1-codex', createdAt: 0, updatedAt: 0 },
      items: sessionItems(items),
      snapshot: realWorkspace(files),
    });
    if (!checked.ok) throw new Error(checked.problems.join(' '));
    const link = shareUrl('https://unroll.example/', checked.document);
    return { bytes: link.bytes, json: JSON.stringify(checked.document).length };
  },
};

function stateAndBlobs(snapshot: Snapshot) {
  const { state, blobs } = stateFromSnapshot(snapshot);
  return { next: state, blobs };
}

async function saveSnapshot(store: SessionStore, id: string, snapshot: Snapshot): Promise<void> {
  const { workspace } = await store.load(id);
  await store.saveWorkspace(id, { prev: workspace, ...stateAndBlobs(snapshot), reason: 'turn' });
}
