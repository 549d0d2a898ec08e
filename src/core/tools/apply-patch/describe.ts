/** How an apply_patch call is shown: the files its patch names, read from the text alone. */
import { plainDescription, type CallArgs, type CallDescription, type PatchFile } from '../call-description';

const LETTER: Record<PatchFile['action'], string> = { add: 'A', update: 'U', delete: 'D' };

/**
 * The patch is read as the tool reads it (`extractPatchText`): `input` of the arguments, or
 * the text itself when it is not JSON (the custom tool's form). The files come from the
 * patch's file lines, so a patch that would not parse still shows what it meant to change.
 */
export function describeApplyPatch(args: CallArgs, input: string): CallDescription {
  const patch = typeof args?.input === 'string' ? args.input : !args && !input.trim().startsWith('{') ? input : undefined;
  if (patch === undefined) return plainDescription('apply_patch', args, input);
  const files = patchFiles(patch);
  return {
    title: files.length ? `apply_patch ${files.map((f) => f.path).join(', ')}` : 'apply_patch',
    summary: files.length ? files.map((f) => `${LETTER[f.action]} ${f.path}`).join(', ') : `(${patch.split('\n').length} lines)`,
    detail: { kind: 'apply_patch', patch, files },
  };
}

function patchFiles(patch: string): PatchFile[] {
  return [...patch.matchAll(/^\*\*\* (Add|Update|Delete) File: (.+)$/gm)].map((m) => ({
    action: m[1]!.toLowerCase() as PatchFile['action'],
    path: m[2]!.trim(),
  }));
}
