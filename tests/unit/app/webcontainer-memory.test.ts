/**
 * A WebContainer that failed to start here is remembered, so the next automatic starts go to
 * the embedded sandbox at once (saying why) instead of waiting for a boot that cannot finish.
 */
import { describe, expect, it } from 'vitest';
import { REMEMBER_MS, UNREACHABLE_KEY, WebContainerMemory } from '../../../src/app/webcontainer-memory';
import type { BootStatus, Sandbox } from '../../../src/sandbox/sandbox';
import { selectSandbox, type PageEnvironment } from '../../../src/sandbox/select';
import { FakeStorage } from '../../support/fake-storage';

const good: PageEnvironment = { crossOriginIsolated: true, isSecureContext: true, sharedArrayBuffer: true, online: true };

function fakeSandbox(kind: Sandbox['kind'], boot: () => Promise<void>) {
  const calls = { created: 0, boot: 0 };
  const create = () => {
    calls.created++;
    return {
      kind,
      onStatus: (_: (s: BootStatus) => void) => () => {},
      async boot() {
        calls.boot++;
        await boot();
      },
      async dispose() {},
    } as unknown as Sandbox;
  };
  return { create, calls };
}

describe('WebContainerMemory', () => {
  it('remembers a failure for a few days, then forgets it on its own', () => {
    const storage = new FakeStorage();
    let now = 1_000_000;
    const memory = new WebContainerMemory(storage, () => now);
    expect(memory.recent()).toBeNull();
    memory.remember('WebContainer did not start within 8 s (is StackBlitz reachable?).');
    expect(memory.recent()).toEqual({ at: 1_000_000, reason: 'WebContainer did not start within 8 s (is StackBlitz reachable?).' });
    now += REMEMBER_MS - 1;
    expect(memory.recent()).not.toBeNull();
    now += 1;
    expect(memory.recent()).toBeNull();
  });

  it('forgets on request, and reads nothing from a damaged or missing storage', () => {
    const storage = new FakeStorage();
    const memory = new WebContainerMemory(storage);
    memory.remember('gone');
    memory.forget();
    expect(memory.recent()).toBeNull();
    storage.setItem(UNREACHABLE_KEY, '{not json');
    expect(memory.recent()).toBeNull();
    storage.setItem(UNREACHABLE_KEY, JSON.stringify({ at: 'yesterday', reason: 1 }));
    expect(memory.recent()).toBeNull();
    expect(new WebContainerMemory(null).recent()).toBeNull();
    expect(() => new WebContainerMemory(null).remember('x')).not.toThrow();
  });
});

describe('choosing the sandbox with that memory', () => {
  it('an automatic start with a recent failure uses the embedded sandbox at once, without trying WebContainer', async () => {
    const wc = fakeSandbox('webcontainer', async () => {});
    const emb = fakeSandbox('embedded', async () => {});
    const chosen = await selectSandbox({
      preference: 'auto',
      environment: good,
      createWebContainer: wc.create,
      createEmbedded: emb.create,
      skipReason: 'It failed here before.',
    });
    expect(chosen.sandbox.kind).toBe('embedded');
    expect(chosen.fallback).toMatchObject({ reason: 'It failed here before.', cause: 'remembered' });
    expect(wc.calls.created).toBe(0);
  });

  it('"WebContainer only" still tries it', async () => {
    const wc = fakeSandbox('webcontainer', async () => {});
    const emb = fakeSandbox('embedded', async () => {});
    const chosen = await selectSandbox({
      preference: 'webcontainer',
      environment: good,
      createWebContainer: wc.create,
      createEmbedded: emb.create,
      skipReason: 'It failed here before.',
    });
    expect(chosen.sandbox.kind).toBe('webcontainer');
  });

  it('a boot that fails is marked failed (to remember); a page that cannot run it, unsupported (nothing to remember)', async () => {
    const failing = fakeSandbox('webcontainer', async () => {
      throw new Error('WebContainer did not start within 8 s (is StackBlitz reachable?)');
    });
    const emb = fakeSandbox('embedded', async () => {});
    const failed = await selectSandbox({ preference: 'auto', environment: good, createWebContainer: failing.create, createEmbedded: emb.create });
    expect(failed.fallback?.cause).toBe('failed');
    const blocked = await selectSandbox({
      preference: 'auto',
      environment: { ...good, crossOriginIsolated: false },
      createWebContainer: failing.create,
      createEmbedded: emb.create,
    });
    expect(blocked.fallback?.cause).toBe('unsupported');
  });
});
