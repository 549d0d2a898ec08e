import { describe, expect, it } from 'vitest';
import { pacedFetch } from '../../../src/model/paced-fetch';

function oneBigChunk(bytes: number): typeof fetch {
  return async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(bytes).fill(97));
          controller.close();
        },
      }),
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    );
}

describe('pacedFetch', () => {
  it('hands a body over in pieces of at most maxChunkBytes, every byte in order', async () => {
    const fetch = pacedFetch(oneBigChunk(100_000), { maxChunkBytes: 16_384 });
    const response = await fetch('http://x/');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const sizes: number[] = [];
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sizes.push(value.length);
    }
    expect(Math.max(...sizes)).toBe(16_384);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100_000);
  });

  it('yields to the event loop once a slice of work has run long', async () => {
    let clock = 0;
    let yields = 0;
    const fetch = pacedFetch(oneBigChunk(64 * 1024), {
      maxChunkBytes: 1024,
      sliceMs: 8,
      now: () => clock,
      yieldToLoop: async () => void yields++,
    });
    const reader = (await fetch('http://x/')).body!.getReader();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      clock += 3; // each piece costs the reader 3 ms
    }
    // 64 pieces × 3 ms, a yield whenever more than 8 ms passed: about one per three pieces.
    expect(yields).toBeGreaterThanOrEqual(20);
    expect(yields).toBeLessThanOrEqual(22);
  });

  it('passes errors and non-streaming responses through', async () => {
    const failing = pacedFetch(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(failing('http://x/')).rejects.toThrow('Failed to fetch');
    const empty = pacedFetch(async () => new Response(null, { status: 204 }));
    expect((await empty('http://x/')).status).toBe(204);
  });
});
