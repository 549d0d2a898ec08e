/**
 * A believable conversation for the storage benchmarks: turns of a user message, a reasoning
 * summary, a command with its output and an apply_patch with its result, then an answer.
 * Deterministic, so every run measures the same bytes.
 */
import type { ResponseItem } from '../src/core/items';
import type { Snapshot } from '../src/sandbox/snapshot';

const PROSE =
  'The failing case comes from the parser treating a trailing comma as the end of the list. ' +
  'I changed the loop to peek at the next token before deciding, and added a test for it. ';

/** Item `i` of the conversation (a turn is 8 items). */
export function sessionItem(i: number): ResponseItem {
  const turn = Math.floor(i / 8);
  const call = `call_${turn}`;
  switch (i % 8) {
    case 0:
      return { type: 'message', role: 'user', content: [{ type: 'input_text', text: `Step ${turn}: fix the list parser and run the tests again.` }] };
    case 1:
      return { type: 'reasoning', summary: [{ type: 'summary_text', text: `**Plan for step ${turn}**\n\n${PROSE}` }] };
    case 2:
      return {
        type: 'function_call',
        call_id: `${call}_a`,
        name: 'exec_command',
        arguments: JSON.stringify({ cmd: `grep -rn "parseList" src | head -20`, workdir: '/workspace' }),
      };
    case 3:
      return {
        type: 'function_call_output',
        call_id: `${call}_a`,
        output: `Wall time: 0.0123 seconds\nProcess exited with code 0\nOutput:\n${Array.from({ length: 8 }, (_, k) => `src/parse/list.ts:${10 + k * 7}:  const item = parseList(tokens, ${k});`).join('\n')}\n`,
      };
    case 4:
      return {
        type: 'custom_tool_call',
        call_id: `${call}_b`,
        name: 'apply_patch',
        input: `*** Begin Patch\n*** Update File: src/parse/list.ts\n@@ function parseList\n-  if (next === ',') return items;\n+  if (next === ',' && peek(tokens) === ']') return items;\n*** End Patch`,
      };
    case 5:
      return { type: 'custom_tool_call_output', call_id: `${call}_b`, output: 'Success. Updated the following files:\nM src/parse/list.ts\n' };
    case 6:
      return {
        type: 'function_call',
        call_id: `${call}_c`,
        name: 'exec_command',
        arguments: JSON.stringify({ cmd: 'npm test -- list', workdir: '/workspace' }),
      };
    default:
      return {
        type: 'message',
        role: 'assistant',
        content: [
          {
            type: 'output_text',
            text: `Step ${turn} is done.\n\n- ${PROSE}\n- The tests pass.\n\n\`\`\`ts\nif (next === ',' && peek(tokens) === ']') return items;\n\`\`\`\n`,
          },
        ],
      };
  }
}

/** The first `n` items, every call followed by its output (an unfinished call is cut). */
export function sessionItems(n: number): ResponseItem[] {
  const items = Array.from({ length: n }, (_, i) => sessionItem(i));
  // Item 6 (npm test) has no output in the pattern: give it one so the history pairs up.
  return items
    .flatMap((item) =>
      item.type === 'function_call' && item.name === 'exec_command' && item.call_id.endsWith('_c')
        ? [item, { type: 'function_call_output', call_id: item.call_id, output: 'Process exited with code 0\nOutput:\n12 passing\n' } as ResponseItem]
        : [item],
    )
    .slice(0, n);
}

/** A small TypeScript project: `files` files of a few kilobytes each. */
export function workspaceSnapshot(files = 20): Snapshot {
  const out: Record<string, string> = {};
  for (let f = 0; f < files; f++) {
    const lines = Array.from(
      { length: 60 },
      (_, k) => `export function step${f}_${k}(input: readonly number[]): number {\n  return input.reduce((sum, n) => sum + n * ${k + 1}, ${f});\n}`,
    );
    out[`src/module-${String(f).padStart(2, '0')}.ts`] = `// Module ${f}\n${lines.join('\n\n')}\n`;
  }
  return { format: 'unroll-workspace', version: 1, files: out, binary: {}, dirs: [] };
}
