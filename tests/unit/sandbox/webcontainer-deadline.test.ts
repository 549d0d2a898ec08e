/**
 * The two-phase boot deadline against a fake boot that behaves as the real one does over
 * time (the StackBlitz frame's first message, its warnings, a late or missing instance).
 */
import { describe, expect, it } from 'vitest';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { FakeVisibility, FakeWebContainer, ISOLATED, frameBoot } from '../../support/webcontainer-fake';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sandbox(boot: ReturnType<typeof frameBoot>, deadline: { firstSignMs: number; afterSignMs: number }, visibility = new FakeVisibility()) {
  return createWebContainerSandbox({ deadline }, { toolbox: null, boot, environment: ISOLATED, bootSlot: {}, visibility });
}

describe('the boot deadline', () => {
  it('gives up soon when the StackBlitz frame never answers', async () => {
    const sb = sandbox(frameBoot(new FakeWebContainer(), {}), { firstSignMs: 40, afterSignMs: 5_000 });
    await expect(sb.boot()).rejects.toThrow('StackBlitz did not answer within 40 ms (is stackblitz.com reachable from this network?).');
    expect(sb.status).toMatchObject({ state: 'failed' });
  });

  it('waits the long time once the frame answered, so a slow first visit still gets there', async () => {
    const sb = sandbox(frameBoot(new FakeWebContainer(), { aliveAfterMs: 10, readyAfterMs: 200 }), { firstSignMs: 60, afterSignMs: 5_000 });
    const progress: string[] = [];
    sb.onStatus((status) => {
      if (status.state === 'booting') progress.push(status.progress);
    });
    await sb.boot();
    expect(sb.status.state).toBe('ready');
    expect(progress).toContain('StackBlitz answered; the WebContainer is starting…');
  });

  it("shows the frame's warnings, and gives the last one as part of the reason when time runs out", async () => {
    const warning = 'Third-party cookies are blocked; WebContainer needs them';
    const sb = sandbox(frameBoot(new FakeWebContainer(), { aliveAfterMs: 5, warnings: [{ afterMs: 10, message: warning }] }), {
      firstSignMs: 1_000,
      afterSignMs: 60,
    });
    const progress: string[] = [];
    sb.onStatus((status) => {
      if (status.state === 'booting') progress.push(status.progress);
    });
    await expect(sb.boot()).rejects.toThrow(
      `WebContainer did not finish starting within 60 ms of StackBlitz answering. StackBlitz said: ${warning}.`,
    );
    expect(progress).toContain(`StackBlitz: ${warning}`);
  });

  it('does not count the time the page is hidden', async () => {
    const visibility = new FakeVisibility(true);
    const sb = sandbox(frameBoot(new FakeWebContainer(), {}), { firstSignMs: 30, afterSignMs: 5_000 }, visibility);
    const booting = sb.boot();
    let failed = false;
    booting.catch(() => (failed = true));
    await sleep(120);
    expect(failed).toBe(false);
    expect(sb.status.state).toBe('booting');
    visibility.set(false);
    await expect(booting).rejects.toThrow('StackBlitz did not answer within 30 ms');
  });

  it('keeps counting from where it was when the page is hidden mid-way', async () => {
    const visibility = new FakeVisibility(false);
    const sb = sandbox(frameBoot(new FakeWebContainer(), {}), { firstSignMs: 80, afterSignMs: 5_000 }, visibility);
    const booting = sb.boot();
    let failed = false;
    booting.catch(() => (failed = true));
    await sleep(20);
    visibility.set(true);
    await sleep(150);
    expect(failed).toBe(false);
    visibility.set(false);
    await expect(booting).rejects.toThrow(/did not answer/);
  });
});
