/**
 * SessionRecorder, the only writer of an open session, on its own over a real store: what it
 * writes for a rewind, what it refuses once closed, and which failures it reports.
 */
import { describe, expect, it } from 'vitest';
import { SessionRecorder } from '../../../src/app/session-recorder';
import { StoreError } from '../../../src/store/errors';
import { GOTO_RECORD, NOTE_RECORD } from '../../../src/store/log-records';
import type { SessionStore } from '../../../src/store/session-store';
import { assistant, testStore } from '../../support/store-helpers';

/** `store` with `appendControl` failing (a full disk) while `failing` is set. */
function failingControls(store: SessionStore) {
  const state = { failing: false };
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (prop !== 'appendControl') return method;
      return (...args: unknown[]) => (state.failing ? Promise.reject(new StoreError('quota')) : method(...args));
    },
  });
  return { store: wrapped, state };
}

async function recording() {
  const { store: inner } = await testStore();
  const { store, state } = failingControls(inner);
  const meta = await store.create({}, { next: { files: new Map(), dirs: [] }, blobs: new Map(), reason: 'new' });
  const loaded = await store.load(meta.id);
  const errors: StoreError[] = [];
  const recorder = new SessionRecorder(store, {
    sessionId: meta.id,
    records: 0,
    manifest: loaded.workspace,
    onError: (error) => errors.push(error),
  });
  return { recorder, inner, state, errors, id: meta.id, first: loaded.workspace! };
}

describe('SessionRecorder', () => {
  it('a rewind writes its record, then the workspace of the point it goes to', async () => {
    const { recorder, inner, id, first } = await recording();
    recorder.append(assistant('one'));
    await recorder.goto({ type: GOTO_RECORD, to: 0, why: 'rewind', note: 'back' }, first);
    const loaded = await inner.load(id);
    expect(loaded.view.redo).toBe(1);
    expect(loaded.workspace).toMatchObject({ n: 1, atRecord: 2 });
    expect(recorder.manifest?.n).toBe(1);
  });

  it('a rewind whose record fails saves no workspace, and is reported even after other failures', async () => {
    const { recorder, inner, state, errors, id } = await recording();
    state.failing = true;
    recorder.control({ type: NOTE_RECORD, text: 'lost' });
    await recorder.idle();
    expect(errors).toHaveLength(1);
    await recorder.goto({ type: GOTO_RECORD, to: 0, why: 'rewind' }, null);
    expect(errors).toHaveLength(2);
    expect((await inner.load(id)).workspace?.n).toBe(0);
  });

  it('once closed it writes nothing more, and says so instead of dropping the write in silence', async () => {
    const { recorder, inner, errors, id } = await recording();
    recorder.append(assistant('kept'));
    await recorder.close();
    recorder.append(assistant('too late'));
    await recorder.idle();
    expect((await inner.load(id)).items).toEqual([assistant('kept')]);
    expect(errors.map((e) => e.kind)).toEqual(['unknown']);
  });
});
