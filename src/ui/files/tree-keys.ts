/**
 * Keyboard behaviour of the file tree, after the WAI-ARIA tree pattern: ↑/↓ move, → opens a
 * folder or steps into it, ← closes it or steps out to the parent, Home/End jump, Enter and
 * Space open a file or toggle a folder.
 */
import type { TreeRow } from '../../app/workspace.svelte';

export type TreeAction =
  | { type: 'focus'; index: number }
  | { type: 'expand'; path: string }
  | { type: 'collapse'; path: string }
  | { type: 'toggle'; path: string }
  | { type: 'open'; path: string };

/** What `key` does with the row at `index` focused; null when the key means nothing here. */
export function treeKey(key: string, rows: readonly TreeRow[], index: number): TreeAction | null {
  const row = rows[index];
  if (!row) return rows.length > 0 && isMove(key) ? { type: 'focus', index: 0 } : null;
  switch (key) {
    case 'ArrowDown':
      return { type: 'focus', index: Math.min(index + 1, rows.length - 1) };
    case 'ArrowUp':
      return { type: 'focus', index: Math.max(index - 1, 0) };
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: rows.length - 1 };
    case 'ArrowRight':
      if (!row.isDirectory) return null;
      if (!row.expanded) return { type: 'expand', path: row.path };
      return (rows[index + 1]?.level ?? 0) > row.level ? { type: 'focus', index: index + 1 } : null;
    case 'ArrowLeft': {
      if (row.isDirectory && row.expanded) return { type: 'collapse', path: row.path };
      for (let i = index - 1; i >= 0; i--) if ((rows[i]?.level ?? 0) < row.level) return { type: 'focus', index: i };
      return null;
    }
    case 'Enter':
    case ' ':
      return row.isDirectory ? { type: 'toggle', path: row.path } : { type: 'open', path: row.path };
    default:
      return null;
  }
}

function isMove(key: string): boolean {
  return key === 'ArrowDown' || key === 'ArrowUp' || key === 'Home' || key === 'End';
}
