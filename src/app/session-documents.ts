/**
 * Sessions as documents the person holds: an export as a file, and what the read-only view of
 * a shared link shows (its title, its files, what the link left out).
 */
import { documentFiles, serializeDocument, type SessionDocument } from '../store/export';
import { stripForShare, type Dropped } from '../store/share';

export interface SharedView {
  title: string;
  /** Every file the fork brings, text and binary. */
  files: string[];
  dropped: Dropped;
  document: SessionDocument;
}

export function sharedView(document: SessionDocument): SharedView {
  const files = documentFiles(document);
  return {
    title: document.session.title,
    files: [...Object.keys(files?.files ?? {}), ...Object.keys(files?.binary ?? {})].sort(),
    dropped: stripForShare(document).dropped,
    document,
  };
}

/** The export file of `document`, named after its title. */
export function documentFile(document: SessionDocument): File {
  const name = `${fileName(document.session.title)}.unroll.json`;
  return new File([serializeDocument(document)], name, { type: 'application/json' });
}

function fileName(title: string): string {
  return title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'session';
}
