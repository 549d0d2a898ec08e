/**
 * An apply_patch input as something to look at: per file, what happens to it and its lines
 * marked added, removed or kept. Built from the patch text alone, before or without applying it.
 */
import { parsePatch } from '../core/tools/apply-patch/parse';

export type DiffLineKind = 'context' | 'add' | 'remove' | 'hunk';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export interface PatchFileView {
  path: string;
  kind: 'add' | 'delete' | 'update';
  moveTo?: string;
  added: number;
  removed: number;
  lines: DiffLine[];
}

export interface PatchView {
  files: PatchFileView[];
}

/** The view of a patch's text (as the tool reads it), or null when this parser does not accept it. */
export function patchView(text: string): PatchView | null {
  try {
    return { files: parsePatch(text).ops.map(fileView) };
  } catch {
    return null;
  }
}

function fileView(op: ReturnType<typeof parsePatch>['ops'][number]): PatchFileView {
  if (op.kind === 'add') {
    return { path: op.path, kind: 'add', added: op.lines.length, removed: 0, lines: op.lines.map((text) => ({ kind: 'add', text })) };
  }
  if (op.kind === 'delete') return { path: op.path, kind: 'delete', added: 0, removed: 0, lines: [] };
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of op.hunks) {
    lines.push({ kind: 'hunk', text: hunk.context ? `@@ ${hunk.context}` : '@@' });
    for (const line of hunk.lines) {
      if (line.kind === 'add') added++;
      if (line.kind === 'remove') removed++;
      lines.push({ kind: line.kind, text: line.text });
    }
  }
  return { path: op.path, kind: 'update', ...(op.moveTo ? { moveTo: op.moveTo } : {}), added, removed, lines };
}
