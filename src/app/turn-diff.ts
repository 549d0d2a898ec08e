/**
 * What changed in the workspace between two snapshots, file by file, as unified-diff hunks.
 * Line diffs come from the `diff` package (Myers' algorithm), so the figures match `git diff`.
 */
import { structuredPatch } from 'diff';
import type { Snapshot } from '../sandbox/snapshot';
import type { DiffLine } from './patch-view';

export interface FileDiff {
  /** Relative to the workspace root. */
  path: string;
  kind: 'added' | 'modified' | 'deleted';
  binary: boolean;
  added: number;
  removed: number;
  lines: DiffLine[];
  /** The texts, for a side-by-side view ('' when absent or binary). */
  before: string;
  after: string;
}

/** Lines of context around each change, as `git diff` shows them. */
const CONTEXT = 3;
/** Beyond this many characters a file's lines are not compared, only counted as changed. */
const MAX_DIFF_CHARS = 400_000;

export function diffSnapshots(before: Snapshot, after: Snapshot): FileDiff[] {
  const paths = new Set([...Object.keys(before.files), ...Object.keys(before.binary), ...Object.keys(after.files), ...Object.keys(after.binary)]);
  const out: FileDiff[] = [];
  for (const path of [...paths].sort()) {
    const a = side(before, path);
    const b = side(after, path);
    if (a && b && a.text === b.text && a.binary === b.binary) continue;
    const kind = !a ? 'added' : !b ? 'deleted' : 'modified';
    const binary = Boolean(a?.binary || b?.binary);
    const oldText = a && !a.binary ? a.text : '';
    const newText = b && !b.binary ? b.text : '';
    out.push({ path, kind, binary, before: oldText, after: newText, ...lineDiff(oldText, newText, binary) });
  }
  return out;
}

function side(snapshot: Snapshot, path: string): { text: string; binary: boolean } | null {
  if (Object.hasOwn(snapshot.files, path)) return { text: snapshot.files[path]!, binary: false };
  if (Object.hasOwn(snapshot.binary, path)) return { text: snapshot.binary[path]!, binary: true };
  return null;
}

function lineDiff(oldText: string, newText: string, binary: boolean): Pick<FileDiff, 'added' | 'removed' | 'lines'> {
  if (binary) return { added: 0, removed: 0, lines: [] };
  if (oldText.length + newText.length > MAX_DIFF_CHARS) {
    return { added: countLines(newText), removed: countLines(oldText), lines: [{ kind: 'hunk', text: 'Too large to compare line by line.' }] };
  }
  const patch = structuredPatch('a', 'b', oldText, newText, '', '', { context: CONTEXT });
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    lines.push({ kind: 'hunk', text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` });
    for (const line of hunk.lines) {
      const mark = line[0];
      if (mark === '\\') continue; // "\ No newline at end of file"
      const kind = mark === '+' ? 'add' : mark === '-' ? 'remove' : 'context';
      if (kind === 'add') added++;
      if (kind === 'remove') removed++;
      lines.push({ kind, text: line.slice(1) });
    }
  }
  return { added, removed, lines };
}

function countLines(text: string): number {
  if (!text) return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

/** "2 files changed, +12 −3" */
export function summarizeDiff(changes: readonly FileDiff[]): string {
  const added = changes.reduce((n, c) => n + c.added, 0);
  const removed = changes.reduce((n, c) => n + c.removed, 0);
  return `${changes.length} file${changes.length === 1 ? '' : 's'} changed, +${added} −${removed}`;
}
