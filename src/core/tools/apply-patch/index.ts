/** `apply_patch`: the model edits files by sending a patch in the Codex patch format. */
import type { Tool, ToolContext, ToolResult } from '../types';
import { APPLY_PATCH_GRAMMAR } from './grammar';
import { type Patch, PatchError, parsePatch } from './parse';
import { applyPatch, planPatch } from './apply';
import { describeApplyPatch } from './describe';

export * from './parse';
const PATCH_REJECTED = 'patch rejected by user';

/**
 * The marker in `ProcessManager.approvedForSession` meaning "the user approved every patch
 * for this session". It shares the set with exact command lines, which cannot collide:
 * exec_command refuses any command line starting with `apply_patch` before it checks
 * approvals. The refusal of a read-only sandbox under the "never" policy is not affected.
 */
const PATCHES_APPROVED_FOR_SESSION = 'apply_patch';

/** What this apply_patch does differently from a plain one: the model should know before it relies on it. */
const RULES =
  'A patch applies whole or not at all: if any operation fails, no file changes. ' +
  'Add File and Move to never overwrite an existing file. ' +
  'Files keep their line endings (CRLF stays CRLF) and byte-order mark; a file that is not UTF-8 text cannot be updated.';

const CUSTOM_DESCRIPTION =
  'Edits files by applying a patch. Send the patch itself as the input (no JSON, no code fence). ' +
  'Paths are relative to the working directory; absolute paths are refused. ' +
  `Copy context and "-" lines exactly from the file as it is now. ${RULES}`;

const FORMAT_DESCRIPTION = `Edits files by applying a patch. The whole patch goes in "input" as one string.

Format:
*** Begin Patch
[one or more file operations]
*** End Patch

File operations:
*** Add File: <path>       then the new file's lines, each prefixed with "+"
*** Delete File: <path>    nothing follows
*** Update File: <path>    optionally followed by "*** Move to: <new path>", then one or more hunks

A hunk starts with "@@", or "@@ <line>" where <line> is an existing line (such as a function or class
header) that comes before the change and helps locate it. Then every line of the hunk is prefixed:
" " (a space) for an unchanged context line, "-" for a line to remove, "+" for a line to add.
Give about three context lines before and after each change, copied exactly from the current file;
hunks of one file must be in file order. Put "*** End of File" after a hunk that ends at the last line
of the file. Paths are relative to the working directory; absolute paths are refused.
${RULES}

Example:
*** Begin Patch
*** Add File: notes/todo.md
+# Todo
+- write tests
*** Update File: src/math.ts
@@ export function add(a: number, b: number) {
-  return a - b;
+  return a + b;
 }
*** Delete File: src/old.ts
*** End Patch`;

export const applyPatchTool: Tool = {
  name: 'apply_patch',
  parallelSafe: false,
  spec: (caps) =>
    caps.customTools
      ? {
          type: 'custom',
          name: 'apply_patch',
          description: CUSTOM_DESCRIPTION,
          format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_GRAMMAR },
        }
      : {
          type: 'function',
          name: 'apply_patch',
          description: FORMAT_DESCRIPTION,
          strict: false,
          parameters: {
            type: 'object',
            properties: {
              input: { type: 'string', description: 'The full patch, from "*** Begin Patch" to "*** End Patch".' },
            },
            required: ['input'],
            additionalProperties: false,
          },
        },
  async run(input, ctx) {
    try {
      return await runPatch(input, ctx);
    } catch (err) {
      if (err instanceof PatchError) return { output: `apply_patch verification failed: ${err.message}`, success: false };
      if (err instanceof Error && err.name === 'AbortError') return { output: 'aborted by user', success: false };
      return { output: `apply_patch failed: ${err instanceof Error ? err.message : String(err)}`, success: false };
    }
  },
  describe: describeApplyPatch,
};

async function runPatch(input: string, ctx: ToolContext): Promise<ToolResult> {
  const reason = approvalReason(ctx);
  if (reason === 'refuse') {
    return {
      output: 'apply_patch refused: the sandbox is read-only and the approval policy is "never", so no file can be changed.',
      success: false,
    };
  }
  const text = extractPatchText(input);
  if (typeof text !== 'string') return { output: text.error, success: false };
  const patch: Patch = parsePatch(text);
  const options = { cwd: ctx.cwd, root: ctx.sandbox.describe().root };
  // Verify before asking, so the user is never asked to approve a patch that cannot apply.
  await planPatch(patch, ctx.sandbox.fs, options);

  if (reason && !ctx.processes.approvedForSession.has(PATCHES_APPROVED_FOR_SESSION)) {
    const decision = await ctx.requestApproval({ kind: 'patch', subject: text, cwd: ctx.cwd, reason });
    if (decision === 'deny') return { output: PATCH_REJECTED, success: false };
    if (decision === 'approve_for_session') ctx.processes.approvedForSession.add(PATCHES_APPROVED_FOR_SESSION);
  }
  if (ctx.signal.aborted) return { output: 'aborted by user', success: false };
  // Planned again: the files may have changed while the user was deciding.
  const result = await applyPatch(patch, ctx.sandbox.fs, options);
  return { output: result.summary, success: true };
}

/** Why the user must approve this patch; null when no approval is needed. */
function approvalReason(ctx: ToolContext): string | 'refuse' | null {
  if (ctx.sandboxMode === 'read-only') {
    if (ctx.approvalPolicy === 'never') return 'refuse';
    return 'The sandbox is read-only; this patch changes files.';
  }
  if (ctx.approvalPolicy === 'untrusted') return 'The approval policy asks before every file change.';
  return null;
}

/**
 * The patch text from either form: the function form's `{"input": "..."}` arguments, or
 * the raw text a custom tool receives.
 */
export function extractPatchText(input: string): string | { error: string } {
  const trimmed = input.trim();
  if (!trimmed.startsWith('{')) return input;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    return {
      error:
        `apply_patch: the input looks like JSON but does not parse (${(err as Error).message}). ` +
        'Send {"input": "<patch text>"} or the patch text itself.',
    };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const patch = (value as { input?: unknown }).input;
    if (typeof patch === 'string') return patch;
  }
  return { error: 'apply_patch: expected {"input": "<patch text>"} with the patch as a string.' };
}
