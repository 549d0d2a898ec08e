/**
 * Workspace snapshots as zip archives (fflate). Archives are reproducible: every entry gets
 * the same modification time, entries are written in sorted path order, and empty
 * directories are stored as `dir/` entries so they survive a round trip.
 *
 * fflate's `zipSync`/`unzipSync` key their entries by name in plain objects, where a file
 * named `__proto__` is silently lost; the streaming classes used here take names as
 * strings and run synchronously all the same.
 */
import { Unzip, UnzipInflate, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { asText, emptySnapshot, fromBase64, toBase64, type Snapshot } from '../sandbox/snapshot';

/**
 * The timestamp on every entry. Zip stores local wall-clock time from 1980 on, so a fixed
 * local date (not a UTC instant, which could fall before 1980 in some time zones) is used.
 */
export const ZIP_MTIME = new Date(2000, 0, 1, 0, 0, 0);

const ZIP_NAME = 'workspace.zip';

const encoder = new TextEncoder();

/** The snapshot's files (text and binary) and empty directories as zip bytes. */
export function snapshotToZip(snapshot: Snapshot): Uint8Array {
  const files = new Map<string, Uint8Array>();
  for (const [path, text] of Object.entries(snapshot.files)) files.set(path, encoder.encode(text));
  for (const [path, base64] of Object.entries(snapshot.binary)) files.set(path, fromBase64(base64));

  const chunks: Uint8Array[] = [];
  const failures: Error[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) failures.push(err);
    else chunks.push(chunk);
  });
  const add = (entry: ZipDeflate | ZipPassThrough, data: Uint8Array) => {
    entry.mtime = ZIP_MTIME;
    zip.add(entry);
    entry.push(data, true);
  };
  for (const path of [...files.keys()].sort()) add(new ZipDeflate(path, { level: 6 }), files.get(path) ?? new Uint8Array());
  for (const dir of [...snapshot.dirs].sort()) add(new ZipPassThrough(`${dir}/`), new Uint8Array());
  zip.end();
  if (failures[0]) throw failures[0];
  return concat(chunks);
}

/** The snapshot as a downloadable `workspace.zip`. */
export function snapshotToZipFile(snapshot: Snapshot): File {
  // The bytes are a fresh ArrayBuffer of our own; the cast only narrows the typing.
  const bytes = snapshotToZip(snapshot) as Uint8Array<ArrayBuffer>;
  return new File([bytes], ZIP_NAME, { type: 'application/zip', lastModified: ZIP_MTIME.getTime() });
}

/**
 * Reads an archive back into a snapshot: UTF-8 files without NUL bytes as text, others as
 * binary; `dir/` entries with nothing under them as empty directories. Entry names are taken
 * as they are (callers restore through `validateSnapshot`, which refuses unsafe ones).
 * Throws when the archive is damaged or uses a compression other than deflate.
 */
export function zipToSnapshot(bytes: Uint8Array): Snapshot {
  const entries = new Map<string, Uint8Array>();
  const failures: Error[] = [];
  const unzip = new Unzip((file) => {
    const parts: Uint8Array[] = [];
    file.ondata = (err, chunk, final) => {
      if (err) failures.push(err);
      else parts.push(chunk);
      if (final) entries.set(file.name, concat(parts));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.push(bytes, true);
  if (failures[0]) throw failures[0];

  const snapshot = emptySnapshot();
  snapshot.files = Object.create(null) as Record<string, string>;
  snapshot.binary = Object.create(null) as Record<string, string>;
  // Every directory that has something under it; the other `dir/` entries are empty ones.
  const parents = new Set<string>();
  for (const name of entries.keys()) {
    const parts = name.split('/').slice(0, -1);
    const last = name.endsWith('/') ? parts.length - 1 : parts.length;
    for (let i = 1; i <= last; i++) parents.add(parts.slice(0, i).join('/'));
  }
  for (const [name, data] of entries) {
    if (name.endsWith('/')) {
      if (!parents.has(name.slice(0, -1))) snapshot.dirs.push(name.slice(0, -1));
      continue;
    }
    const text = asText(data);
    if (text === undefined) snapshot.binary[name] = toBase64(data);
    else snapshot.files[name] = text;
  }
  snapshot.dirs.sort();
  return snapshot;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
