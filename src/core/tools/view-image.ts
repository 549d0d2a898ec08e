/**
 * `view_image`: the model looks at an image file of the workspace. The file is read as bytes
 * and attached as an `input_image` (a data URL) in a message after the round's outputs.
 */
import { toBase64 } from '../base64';
import { isInside, resolvePath } from '../paths';
import type { FunctionToolSpec } from '../ports';
import { parseArguments } from './arguments';
import { plainDescription, type CallArgs, type CallDescription } from './call-description';
import { errorMessage } from './exec-command';
import type { Tool } from './types';

/** Larger files are refused: they would cost more than they show. */
const VIEW_IMAGE_MAX_BYTES = 8 * 1024 * 1024;

const SPEC: FunctionToolSpec = {
  type: 'function',
  name: 'view_image',
  description:
    'Attaches an image file from the workspace (PNG, JPEG, GIF or WebP) so you can see it. ' +
    'Use it for screenshots, diagrams or pictures the task is about.',
  strict: false,
  parameters: {
    type: 'object',
    properties: { path: { type: 'string', description: 'The image file, relative to the working directory or absolute.' } },
    required: ['path'],
    additionalProperties: false,
  },
};

export const viewImageTool: Tool = {
  name: 'view_image',
  parallelSafe: true,
  spec: () => SPEC,
  async run(input, ctx) {
    const args = parseArguments(input);
    if (!args.ok) return { output: args.error, success: false };
    const { path } = args.value as { path?: unknown };
    if (typeof path !== 'string' || !path.trim()) return { output: 'view_image needs "path": the image file to attach.', success: false };
    const root = ctx.sandbox.describe().root;
    const abs = resolvePath(ctx.cwd, path.trim());
    if (!isInside(root, abs)) return { output: `view_image: ${abs} is outside the workspace (${root}).`, success: false };
    const read = ctx.sandbox.fs.readFileBytes;
    if (!read) return { output: 'view_image: this sandbox cannot read files as bytes.', success: false };
    let bytes: Uint8Array;
    try {
      const stat = await ctx.sandbox.fs.stat(abs);
      if (!stat) return { output: `view_image: no such file: ${abs}`, success: false };
      if (!stat.isFile) return { output: `view_image: ${abs} is not a file.`, success: false };
      if (stat.size > VIEW_IMAGE_MAX_BYTES) {
        return {
          output: `view_image: ${abs} is ${stat.size} bytes; images over ${VIEW_IMAGE_MAX_BYTES} bytes are not attached. Make a smaller copy first.`,
          success: false,
        };
      }
      bytes = await read.call(ctx.sandbox.fs, abs);
    } catch (err) {
      return { output: `view_image: ${errorMessage(err)}`, success: false };
    }
    const mime = imageType(bytes);
    if (!mime) return { output: `view_image: ${abs} is not a PNG, JPEG, GIF or WebP image.`, success: false };
    return { output: `attached image ${abs}`, success: true, images: [`data:${mime};base64,${toBase64(bytes)}`] };
  },
  describe: describeViewImage,
};

/** Shown by its input as sent; the path is kept for views that show it. */
function describeViewImage(args: CallArgs, input: string): CallDescription {
  const path = args?.path;
  const plain = plainDescription('view_image', args, input);
  return typeof path === 'string' && path.trim() ? { ...plain, detail: { kind: 'view_image', path: path.trim() } } : plain;
}

/** The image's type from its first bytes; undefined for anything else. */
function imageType(bytes: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return undefined;
}
