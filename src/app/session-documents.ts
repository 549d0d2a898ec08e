/**
 * Sessions as documents the person holds: an export as a file, and what the read-only view of
 * a shared link shows (its title, its files, what the link left out).
 */
import { documentFiles, serializeDocument, type SessionDocument } from '../store/export';
import { stripForShare, type Dropped } from '../store/share';
import { omittedImages } from '../store/share-images';

export interface SharedView {
  title: string;
  /** Every file the fork brings, text and binary. */
  files: string[];
  /** Those of `files` that are binary (images, archives, …). */
  binary: string[];
  dropped: Dropped;
  document: SessionDocument;
}

export function sharedView(document: SessionDocument): SharedView {
  const files = documentFiles(document);
  const binary = Object.keys(files?.binary ?? {}).sort();
  return {
    title: document.session.title,
    files: [...Object.keys(files?.files ?? {}), ...binary].sort(),
    binary,
    dropped: withImages(stripForShare(document).dropped, omittedImages(document)),
    document,
  };
}

function withImages(dropped: Dropped, images: number): Dropped {
  return images ? { ...dropped, images } : dropped;
}

/** How many files a shared session brings: "3 files", "5 files (1 binary)". */
export function sharedFilesSummary(view: Pick<SharedView, 'files' | 'binary'>): string {
  const count = `${view.files.length} file${view.files.length === 1 ? '' : 's'}`;
  return view.binary.length ? `${count} (${view.binary.length} binary)` : count;
}

/** The export file of `document`, named after its title. */
export function documentFile(document: SessionDocument): File {
  const name = `${fileName(document.session.title)}.unroll.json`;
  return new File([serializeDocument(document)], name, { type: 'application/json' });
}

function fileName(title: string): string {
  return (
    title
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'session'
  );
}
