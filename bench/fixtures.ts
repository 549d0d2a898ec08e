/** Synthetic but realistic histories and response streams for the engine benchmarks. */
import type { ResponseItem } from '../src/core/items';
import { encodeReply, sseFrame } from '../src/model/scripted/encode';
import { reply } from '../src/model/scripted/build';
import { createRng } from '../src/model/scripted/rng';
import type { Reply } from '../src/model/scripted/types';

const LISTING = Array.from({ length: 12 }, (_, i) => `-rw-r--r-- 1 user user ${1000 + i * 37} Jan  1 00:00 file-${i}.ts`).join('\n');

/** `count` items shaped like a coding session: calls, command outputs, patches, messages. */
export function syntheticHistory(count: number): ResponseItem[] {
  const items: ResponseItem[] = [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'x'.repeat(6000) }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>…</environment_context>' }] },
  ];
  for (let i = 0; items.length < count; i++) {
    const id = `call_${i}`;
    switch (i % 4) {
      case 0:
        items.push({
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: `Step ${i}: checking the files.` }],
          encrypted_content: 'e'.repeat(400),
        });
        break;
      case 1:
        items.push({ type: 'function_call', call_id: id, name: 'exec_command', arguments: JSON.stringify({ cmd: `ls -la src/${i}` }) });
        items.push({
          type: 'function_call_output',
          call_id: id,
          output: `Wall time: 0.0100 seconds\nProcess exited with code 0\nOutput:\n${LISTING}`,
        });
        break;
      case 2:
        items.push({
          type: 'custom_tool_call',
          call_id: id,
          name: 'apply_patch',
          input: `*** Begin Patch\n*** Update File: src/f${i}.ts\n@@\n-const a = 1;\n+const a = 2;\n*** End Patch`,
        });
        items.push({ type: 'custom_tool_call_output', call_id: id, output: `Success. Updated the following files:\nM src/f${i}.ts\n` });
        break;
      default:
        items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `Finished step ${i}; the tests pass now.` }] });
    }
  }
  return items.slice(0, count);
}

/** A typical round's reply: reasoning, a short progress note and a command. */
export function typicalReply(): Reply {
  return [
    reply.reasoning('**Checking the build**\n\nThe last run failed on a missing import; I will look at the file before patching it.'),
    reply.note('The build failed on a missing import in src/app.ts; I will look at the file first.'),
    reply.exec('sed -n 1,80p src/app.ts'),
  ];
}

/** A long answer: many small deltas (for parse throughput). */
export function longReply(words: number): Reply {
  const text = Array.from({ length: words }, (_, i) => `word${i % 97}`).join(' ');
  return [reply.text(text)];
}

/** The SSE bytes a server would send for `r`. */
export function sseBytes(r: Reply, seed = 7): { bytes: Uint8Array; events: number } {
  const events = encodeReply(r, {
    responseId: 'resp_bench',
    model: 'bench-model',
    createdAt: 1_700_000_000,
    rng: createRng(seed),
    includeEncrypted: true,
    requestBytes: 100_000,
    cachedBytes: 90_000,
  });
  return { bytes: new TextEncoder().encode(events.map(sseFrame).join('')), events: events.length };
}

/**
 * A fetch that answers every request with the same SSE bytes. It only measures the length of
 * the body the SDK serialised (`lastBodyBytes`), proving the serialisation really happened.
 */
export function replayFetch(bytes: Uint8Array): typeof fetch & { lastBodyBytes: number } {
  const replay = (async (_url: unknown, init?: RequestInit) => {
    replay.lastBodyBytes = typeof init?.body === 'string' ? init.body.length : -1;
    return new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          // Several chunks, as a network would deliver them.
          const step = 16 * 1024;
          for (let i = 0; i < bytes.length; i += step) controller.enqueue(bytes.subarray(i, i + step));
          controller.close();
        },
      }),
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    );
  }) as typeof fetch & { lastBodyBytes: number };
  replay.lastBodyBytes = 0;
  return replay;
}
