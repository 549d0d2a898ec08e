/**
 * What the composer takes from a paste or a drop. A paste attaches files only when it holds no
 * plain text: office apps put a picture of the copied cells beside their text, and the person
 * meant the text.
 */

/** The files of a paste that should be attached (none when the paste is text). */
export function pastedFiles(data: DataTransfer | null): File[] {
  if (!data || data.files.length === 0) return [];
  if (data.getData('text/plain')) return [];
  return [...data.files];
}

/** Whether a drag carries files (not text or a link dragged from the page). */
export function dragHasFiles(data: DataTransfer | null): boolean {
  return !!data && [...data.types].includes('Files');
}
