import { describe, expect, it } from 'vitest';
import { Layout, LAYOUT_STORAGE_KEY } from '../../../src/app/layout.svelte';
import { FakeStorage } from '../../support/fake-storage';

describe('Layout', () => {
  it('saves split sizes and tabs under unroll.layout.v1 and restores them', () => {
    const local = new FakeStorage();
    const layout = new Layout(local);
    layout.setSize('chat', 41.26);
    layout.setSize('editor', 3);
    layout.narrowTab = 'preview';
    expect(layout.size('chat')).toBe(41.3);
    expect(layout.size('editor')).toBe(10);
    expect(layout.topTab).toBe('preview');
    const restored = new Layout(local);
    expect(restored.toJSON()).toEqual(layout.toJSON());
    expect(JSON.parse(local.items.get(LAYOUT_STORAGE_KEY) ?? '{}')).toEqual(layout.toJSON());
  });

  it('keeps working when storage fails', () => {
    const local = new FakeStorage();
    local.failWrites = true;
    const layout = new Layout(local);
    expect(() => layout.setSize('files', 30)).not.toThrow();
    expect(layout.size('files')).toBe(30);
    expect(layout.storageProblem).toMatch(/QuotaExceededError/);
    local.items.set(LAYOUT_STORAGE_KEY, JSON.stringify({ sizes: { chat: 'wide' }, topTab: 'nope' }));
    const fallback = new Layout(local);
    expect(fallback.size('chat')).toBe(44);
    expect(fallback.topTab).toBe('editor');
  });
});
