/**
 * The tools the test MCP server offers by default: plain text, arithmetic, a slow one, one
 * that reports `isError`, an image, structured content only, an embedded text resource.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z, type ZodRawShape } from 'zod';

export interface McpTestTool {
  name: string;
  description: string;
  inputSchema: ZodRawShape;
  run(args: Record<string, unknown>, extra: { signal: AbortSignal }): CallToolResult | Promise<CallToolResult>;
}

/** A 1×1 red PNG. */
export const RED_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });

/** A tool that answers `reply` to any call (for tools added at runtime). */
export function textTool(name: string, reply: string, description = `Answers "${reply}".`): McpTestTool {
  return { name, description, inputSchema: {}, run: () => text(reply) };
}

export function standardTools(): McpTestTool[] {
  return [
    { name: 'echo', description: 'Repeats the text.', inputSchema: { text: z.string() }, run: (args) => text(`echo: ${String(args.text)}`) },
    {
      name: 'add',
      description: 'Adds two numbers.',
      inputSchema: { a: z.number(), b: z.number() },
      run: (args) => text(String(Number(args.a) + Number(args.b))),
    },
    {
      name: 'slow',
      description: 'Waits `ms` milliseconds, then answers.',
      inputSchema: { ms: z.number() },
      run: async (args, extra) => {
        await sleep(Number(args.ms), extra.signal);
        return text(`slept ${Number(args.ms)} ms`);
      },
    },
    {
      name: 'fail',
      description: 'Always reports a failure.',
      inputSchema: {},
      run: () => ({ content: [{ type: 'text', text: 'the tool failed on purpose' }], isError: true }),
    },
    {
      name: 'image',
      description: 'Returns a red pixel.',
      inputSchema: {},
      run: () => ({
        content: [
          { type: 'text', text: 'a red pixel' },
          { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' },
        ],
      }),
    },
    {
      name: 'stats',
      description: 'Counts things, as structured content only.',
      inputSchema: {},
      run: () => ({ content: [], structuredContent: { files: 3, lines: 42 } }),
    },
    {
      name: 'readme',
      description: 'Returns README.md as an embedded resource.',
      inputSchema: {},
      run: () => ({ content: [{ type: 'resource', resource: { uri: 'file:///README.md', mimeType: 'text/markdown', text: '# Hello' } }] }),
    },
  ];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('cancelled'))), { once: true });
  });
}
