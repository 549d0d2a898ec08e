/**
 * Files dropped from the operating system, folders included: each folder's files are
 * grouped under the folder's path relative to the drop target ('' for the target itself),
 * ready for `Workspace.upload(files, target + '/' + dir)`. Empty folders are not kept.
 */
export interface DroppedGroup {
  dir: string;
  files: File[];
}

/** Whether a drag carries files (not text or a link). */
export function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * Reads what was dropped. The DataTransfer is only readable while the drop event is being
 * handled, so everything it holds is taken before the first `await`.
 */
export async function collectDropped(data: DataTransfer): Promise<DroppedGroup[]> {
  const items = [...data.items].filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null);
  const plain = [...data.files];
  // No entry API (or files made by script): the flat list is all there is.
  if (entries.length === 0 || entries.some((entry) => entry === null)) return plain.length ? [{ dir: '', files: plain }] : [];

  const groups = new Map<string, File[]>();
  const walk = async (entry: FileSystemEntry, dir: string): Promise<void> => {
    if (isFileEntry(entry)) {
      const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
      groups.set(dir, [...(groups.get(dir) ?? []), file]);
    } else if (isDirectoryEntry(entry)) {
      const inner = dir ? `${dir}/${entry.name}` : entry.name;
      const reader = entry.createReader();
      // readEntries returns a folder's contents in batches until an empty one.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, inner);
      }
    }
  };
  for (const entry of entries) if (entry) await walk(entry, '');
  return [...groups].map(([dir, files]) => ({ dir, files }));
}

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectoryEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}
