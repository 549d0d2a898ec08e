/**
 * Shared pieces of the store tests: an isolated fake-indexeddb per test, wrappers around the
 * `Database` port (counting requests, failing writes) and realistic sessions to store.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { outputFor, userMessage, type FunctionCallItem, type ResponseItem } from '../../src/core/items';
import { emptySnapshot, type Snapshot } from '../../src/sandbox/snapshot';
import { openDatabase, type Database, type StoreName, type Table, type Tables } from '../../src/store/db';
import { createSessionStore } from '../../src/store/idb-session-store';
import type { Migration } from '../../src/store/migrations';
import type { ManifestReason, SessionStore } from '../../src/store/session-store';
import { stateFromSnapshot } from '../../src/store/manifests';

/** A clock tests move by hand: each call returns a later time. */
export function testClock(start = 1_700_000_000_000, step = 1000) {
  let now = start;
  return { now: () => (now += step), peek: () => now, set: (t: number) => void (now = t) };
}

export function testIds(prefix = 's') {
  let n = 0;
  return () => `${prefix}${++n}`;
}

export interface TestDb {
  factory: IDBFactory;
  open(migrations?: readonly Migration[]): Promise<Database>;
}

export function testDb(): TestDb {
  const factory = new IDBFactory();
  return { factory, open: (migrations) => openDatabase({ indexedDB: factory, keyRange: IDBKeyRange, ...(migrations ? { migrations } : {}) }) };
}

export async function testStore(wrap: (db: Database) => Database = (db) => db) {
  const env = testDb();
  const clock = testClock();
  const db = wrap(await env.open());
  const store: SessionStore = createSessionStore(db, { now: clock.now, newId: testIds() });
  return { store, db, clock, env };
}

/** Wraps every table of every transaction; `around` sees each call with its table and method. */
export function wrapDatabase(
  db: Database,
  around: (store: StoreName, method: keyof Table, args: unknown[], call: () => Promise<unknown>) => Promise<unknown>,
): Database {
  return {
    close: () => db.close(),
    transact: (stores, mode, body) =>
      db.transact(stores, mode, (tables) => {
        const wrapped = {} as Tables;
        for (const name of stores) {
          const inner = tables[name];
          const table = {} as Record<keyof Table, (...args: unknown[]) => Promise<unknown>>;
          for (const method of ['get', 'put', 'delete', 'getAll', 'getAllKeys'] as const) {
            table[method] = (...args) => around(name, method, args, () => (inner[method] as (...a: unknown[]) => Promise<unknown>)(...args));
          }
          wrapped[name] = table as unknown as Table;
        }
        return body(wrapped);
      }),
  };
}

/** Counts requests (and the bytes of values written) through the port. */
export function countingDatabase(db: Database) {
  const counts = { requests: 0, transactions: 0, putBytes: 0, calls: [] as string[] };
  const wrapped = wrapDatabase(db, (store, method, args, call) => {
    counts.requests += 1;
    counts.calls.push(`${store}.${method}`);
    if (method === 'put') counts.putBytes += JSON.stringify(args[0]).length;
    return call();
  });
  return {
    counts,
    reset: () => Object.assign(counts, { requests: 0, transactions: 0, putBytes: 0, calls: [] }),
    db: {
      close: () => wrapped.close(),
      transact: ((stores, mode, body) => {
        counts.transactions += 1;
        return wrapped.transact(stores, mode, body);
      }) as Database['transact'],
    } satisfies Database,
  };
}

/** Puts into the stores `full` names throw what a full disk makes the browser throw. */
export function quotaDatabase(db: Database, full: (store: StoreName) => boolean): Database {
  return wrapDatabase(db, (store, method, _args, call) => {
    if (method === 'put' && full(store)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return call();
  });
}

export function call(id: string, cmd: string): FunctionCallItem {
  return { type: 'function_call', call_id: id, name: 'exec_command', arguments: JSON.stringify({ cmd }) };
}

export function assistant(text: string): ResponseItem {
  return { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] };
}

/** A session like a real one: context, turns of reasoning, shell calls, patches and answers. */
export function typicalItems(count = 50): ResponseItem[] {
  const items: ResponseItem[] = [
    {
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: '<permissions instructions>\nworkspace-write, on-request\n</permissions instructions>' }],
    },
    {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/workspace</cwd>\n  <shell>bash</shell>\n</environment_context>' }],
    },
    userMessage('Build a small todo app with an input, a list and a filter for done items; add tests.'),
  ];
  for (let turn = 0; items.length < count; turn++) {
    items.push({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: `**Planning step ${turn}**\n\nLook at the files, then change the list rendering.` }],
      encrypted_content: pseudoRandomText(1200, turn + 1),
    });
    const c = call(`call_${turn}`, turn % 2 ? 'npm test' : `cat src/file${turn % 20}.ts`);
    items.push(
      c,
      outputFor(c, `Chunk ID: ${turn}\nWall time: 0.0120 seconds\nProcess exited with code 0\nOutput:\n${sourceFile(turn).slice(0, 600)}`),
    );
    items.push({
      type: 'custom_tool_call',
      call_id: `patch_${turn}`,
      name: 'apply_patch',
      input: `*** Begin Patch\n*** Update File: src/file${turn % 20}.ts\n@@\n-const done = false;\n+const done = items.every((i) => i.done);\n*** End Patch`,
    });
    items.push({
      type: 'custom_tool_call_output',
      call_id: `patch_${turn}`,
      output: `Success. Updated the following files:\nM src/file${turn % 20}.ts`,
    });
    items.push(assistant(`Step ${turn}: updated \`src/file${turn % 20}.ts\` so the filter keeps done items visible; tests pass.`));
  }
  return items.slice(0, count);
}

export function typicalSnapshot(files = 20): Snapshot {
  const snapshot = emptySnapshot();
  for (let i = 0; i < files - 2; i++) snapshot.files[`src/file${i}.ts`] = sourceFile(i);
  snapshot.files['package.json'] = JSON.stringify({ name: 'todo', private: true, scripts: { test: 'vitest run' } }, null, 2);
  snapshot.files['README.md'] = '# Todo\n\nA small todo app.\n';
  snapshot.dirs.push('public');
  return snapshot;
}

/**
 * Real TypeScript from this repository, cut to the size of a small project's files (~2.4 KB),
 * so compression ratios (and the measured share-link size) are honest.
 */
const REAL_SOURCES = [
  'core/tools/arguments.ts',
  'core/tools/registry.ts',
  'sandbox/missing-runtimes.ts',
  'core/tools/format-output.ts',
  'core/prompt.ts',
  'core/tools/types.ts',
  'core/config.ts',
  'core/retry.ts',
  'core/tools/update-plan.ts',
  'core/failures.ts',
  'core/events.ts',
  'core/sampling.ts',
  'sandbox/select.ts',
  'core/history.ts',
  'core/tools/dispatch.ts',
  'sandbox/sandbox.ts',
  'core/tools/truncate.ts',
  'core/stream.ts',
  'core/items.ts',
  'core/loop.ts',
].map((path) => readFileSync(fileURLToPath(new URL(`../../src/${path}`, import.meta.url)), 'utf8').slice(0, 2400));

function sourceFile(i: number): string {
  return REAL_SOURCES[i % REAL_SOURCES.length]!;
}

/** Incompressible text, like a real encrypted blob (deterministic so sizes are stable). */
export function pseudoRandomText(
  length: number,
  seed: number,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
): string {
  let x = (seed * 2654435761 + 1) | 0 || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    // xorshift32: stays in 32-bit integers, so no precision is lost
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[(x >>> 0) % alphabet.length];
  }
  return out;
}

/** Records `snapshot` as the session's workspace now (a delta against its newest manifest). */
export async function saveFiles(store: SessionStore, id: string, snapshot: Snapshot, reason: ManifestReason = 'turn') {
  const { workspace } = await store.load(id);
  const { state, blobs } = stateFromSnapshot(snapshot);
  return store.saveWorkspace(id, { prev: workspace, next: state, blobs, reason });
}

/** The session's newest workspace as a snapshot (null when it has none). */
export async function filesOf(store: SessionStore, id: string): Promise<Snapshot | null> {
  const { workspace } = await store.load(id);
  return workspace ? (await store.readFiles(workspace)).snapshot : null;
}

/** A snapshot compared by value (snapshots read back use null-prototype records). */
export function plain(snapshot: Snapshot | null): Snapshot | null {
  return snapshot && (JSON.parse(JSON.stringify(snapshot)) as Snapshot);
}

// Helpers for the version 2 log and documents (imports here so the block above stays as it was).
import { workspaceDocument, type WorkspaceDocument } from '../../src/store/export';
import { TOOL_RECORD, TURN_RECORD, type ToolRecord, type TurnRecord } from '../../src/store/log-records';
import { recordFor, type Manifest, type ManifestRecord } from '../../src/store/manifests';

/** A turn's end as the app records it, with the workspace manifests taken when it began and ended. */
export function turnRecord(before: number | null, after: number | null, ms = 4200): TurnRecord {
  return {
    type: TURN_RECORD,
    reason: 'completed',
    usage: { input_tokens: 1800, cached_tokens: 1024, output_tokens: 240, reasoning_tokens: 64, total_tokens: 2040, requests: 2 },
    ms,
    before,
    after,
  };
}

export function toolRecord(callId: string, status: 'ok' | 'failed' = 'ok', exitCode = status === 'ok' ? 0 : 1): ToolRecord {
  return { type: TOOL_RECORD, call_id: callId, status, exit_code: exitCode, ms: 120 };
}

/**
 * `typicalItems(count)` recorded the way the app records a session: a tool record after each
 * tool output, and at each answer (a turn's end) one file changed, the workspace saved and a
 * turn record. Returns the items and the newest workspace.
 */
export async function recordTypicalSession(store: SessionStore, options: { items?: number; files?: number; title?: string } = {}) {
  const session = await store.create({ model: 'gpt-5.1-codex', ...(options.title ? { title: options.title } : {}) });
  const id = session.id;
  const items = typicalItems(options.items ?? 50);
  const snapshot = typicalSnapshot(options.files ?? 20);
  const sources = Object.keys(snapshot.files).filter((path) => path.startsWith('src/'));
  let manifest = (await saveFiles(store, id, snapshot, 'new')).manifest?.n ?? null;
  let turn = 0;
  for (const item of items) {
    await store.append(id, item);
    if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') await store.appendControl(id, toolRecord(item.call_id));
    if (item.type === 'message' && item.role === 'assistant') {
      const path = sources[turn % sources.length]!;
      snapshot.files[path] = `${snapshot.files[path]}\n// turn ${turn}: the filter keeps done items visible\n`;
      const before = manifest;
      manifest = (await saveFiles(store, id, snapshot)).manifest?.n ?? null;
      await store.appendControl(id, turnRecord(before, manifest));
      turn += 1;
    }
  }
  return { id, items, snapshot };
}

/**
 * A document's workspace holding `snapshots` as manifests 0, 1, … (deltas where they are due),
 * each taken at log position `atRecord`, with every file version they name.
 */
export function documentWorkspace(snapshots: readonly Snapshot[], atRecord = 0): WorkspaceDocument {
  const records: ManifestRecord[] = [];
  const blobs = new Map<string, Uint8Array>();
  let prev: Manifest | null = null;
  snapshots.forEach((snapshot, n) => {
    const { state, blobs: contents } = stateFromSnapshot(snapshot);
    for (const [hash, bytes] of contents) blobs.set(hash, bytes);
    const meta = { n, atRecord, savedAt: 1_700_000_000_000 + n, reason: 'save' as const };
    const record = recordFor(prev, state, meta, true)!;
    records.push(record);
    const before: Manifest | null = prev;
    prev = { ...meta, ...state, sinceBase: record.base ? 0 : (before?.sinceBase ?? 0) + Object.keys(record.files).length };
  });
  return workspaceDocument(records, blobs);
}

/**
 * A session with every kind of record: two turns (reasoning with an encrypted blob, tool calls
 * and their tool records, turn records), a compaction, a third turn that a rewind then sets
 * aside, and a fourth turn on the new branch; the workspace (text and binary files) saved at
 * each turn's end and at the rewind. Returns what each segment shows and what was set aside.
 */
export async function recordRichSession(store: SessionStore) {
  const { id } = await store.create({ title: 'Todo app', model: 'gpt-5.1-codex' });
  const files = (marker: string): Snapshot => {
    const snapshot = typicalSnapshot(4);
    snapshot.files['NOTES.md'] = `# Notes\n\n${marker}\n`;
    snapshot.binary['logo.bin'] = 'AAEC/w=='; // 00 01 02 ff: not text
    return snapshot;
  };
  const position = async () => (await store.get(id)).itemCount;
  let manifest: number | null = null;
  const turn = async (items: ResponseItem[], marker: string, failed: string[] = []) => {
    for (const item of items) {
      await store.append(id, item);
      if (item.type === 'function_call_output')
        await store.appendControl(id, toolRecord(item.call_id, failed.includes(item.call_id) ? 'failed' : 'ok'));
    }
    const before = manifest;
    manifest = (await saveFiles(store, id, files(marker))).manifest?.n ?? null;
    await store.appendControl(id, turnRecord(before, manifest));
  };
  const exchange = (callId: string, cmd: string, output: string): ResponseItem[] => {
    const c = call(callId, cmd);
    return [c, outputFor(c, output)];
  };

  const first: ResponseItem[] = [
    userMessage('Build a todo list'),
    { type: 'reasoning', summary: [{ type: 'summary_text', text: '**Planning the list**' }], encrypted_content: pseudoRandomText(600, 1) },
    ...exchange('c1', 'ls', 'src\npackage.json'),
    assistant('The list is in place.'),
  ];
  await turn(first, 'turn 1');
  const second: ResponseItem[] = [
    userMessage('Add a filter'),
    ...exchange('c2', 'npm test', 'Process exited with code 1'),
    assistant('The filter is there; one test fails.'),
  ];
  await turn(second, 'turn 2', ['c2']);
  const compacted: ResponseItem[] = [
    userMessage('Add a filter'),
    { type: 'compaction', encrypted_content: pseudoRandomText(800, 2) } as ResponseItem,
  ];
  await store.replaceHistory(id, compacted);
  const rewoundTo = await position();
  const setAside: ResponseItem[] = [userMessage('Make it pink'), ...exchange('c3', 'npm run build', 'ok'), assistant('It is pink now.')];
  await turn(setAside, 'turn 3');
  const note = 'The files were put back as they were before "Make it pink".';
  await store.appendControl(id, { type: 'unroll.goto', to: rewoundTo, why: 'rewind', note });
  manifest = (await saveFiles(store, id, files('turn 2'), 'rewind')).manifest?.n ?? null;
  const fourth: ResponseItem[] = [userMessage('Make it blue'), ...exchange('c4', 'npm run build', 'ok'), assistant('It is blue now.')];
  await turn(fourth, 'turn 4');
  return {
    id,
    segments: [
      [...first, ...second],
      [...compacted, ...fourth],
    ],
    setAside,
    note,
    files: files('turn 4'),
    fileVersions: ['turn 1', 'turn 2', 'turn 3', 'turn 2', 'turn 4'].map(files),
  };
}
