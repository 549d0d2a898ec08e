/** An API key kept by Settings never travels in an export or a share link, wherever it was copied to. */
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY_STORAGE_KEY, Settings } from '../../../src/app/settings.svelte';
import type { SessionDocument } from '../../../src/store/export';
import { decodeShare, shareUrl } from '../../../src/store/share';
import { FakeStorage } from '../../support/fake-storage';
import { saveFiles, testStore, typicalItems, typicalSnapshot } from '../../support/store-helpers';

describe('secrets never leave settings storage', () => {
  const KEY = 'sk-proj-LEAKCHECK-0123456789abcdefghijklmnopqrstuvwxyz';
  const saved = {
    local: Object.getOwnPropertyDescriptor(globalThis, 'localStorage'),
    session: Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage'),
  };
  afterEach(() => {
    for (const [name, descriptor] of [
      ['localStorage', saved.local],
      ['sessionStorage', saved.session],
    ] as const) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
  });

  it('an API key saved by Settings appears in no export and no share link', async () => {
    const local = new FakeStorage();
    Object.defineProperty(globalThis, 'localStorage', { value: local, configurable: true });
    Object.defineProperty(globalThis, 'sessionStorage', { value: new FakeStorage(), configurable: true });
    const settings = new Settings();
    settings.preset = 'openai';
    settings.apiKey = KEY;
    settings.model = 'gpt-5.1-codex';
    expect(local.items.get(API_KEY_STORAGE_KEY)).toBe(KEY); // the key really is in settings storage

    const { store, db } = await testStore();
    const session = await store.create({ model: settings.effectiveModel });
    for (const item of typicalItems(12)) await store.append(session.id, item);
    await saveFiles(store, session.id, typicalSnapshot(3));
    // A future bug that copied settings into the index row or a manifest must not leak through either.
    await db.transact(['sessions', 'manifests'], 'readwrite', async (t) => {
      const row = (await t.sessions.get(session.id)) as Record<string, unknown>;
      await t.sessions.put(
        { ...row, apiKey: KEY, settings: { apiKey: KEY, headers: [{ name: 'Authorization', value: `Bearer ${KEY}` }] } },
        session.id,
      );
      const manifest = (await t.manifests.get([session.id, 0])) as Record<string, unknown>;
      await t.manifests.put({ ...manifest, apiKey: KEY }, [session.id, 0]);
    });

    for (const options of [{}, { history: true }]) {
      const exported: SessionDocument = await store.exportSession(session.id, options);
      const text = JSON.stringify(exported);
      expect(text).toContain('gpt-5.1-codex');
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('LEAKCHECK');
      const link = shareUrl('https://unroll.example/', exported);
      expect(link.url).not.toContain('LEAKCHECK');
      const decoded = decodeShare(link.url);
      expect(decoded.ok && JSON.stringify(decoded.document)).not.toContain('LEAKCHECK');
    }
  });
});
