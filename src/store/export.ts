/**
 * A session as a self-contained JSON document (export files and share links), and the
 * thorough check every incoming document goes through. Documents are built from an explicit
 * allow-list of fields, so nothing a session row might carry besides them (let alone
 * settings or an API key) can reach a file or a link.
 *
 * Version 2 holds the whole log — every segment, compactions, turn endings, rewinds — and the
 * workspace history it needs: manifests plus the file contents they name, keyed by their
 * SHA-256 (checked on import, so a document cannot plant wrong contents under a hash another
 * session uses). Version 1 documents (items and one snapshot) are still read.
 *
 * Instruction messages — developer and system messages, and user messages in the form of this
 * app's context (AGENTS.md, environment) — are never shown in the transcript, so a document
 * could use them to reach the model unseen. They never travel: an export leaves them out, and so
 * does an import (each becomes an `unroll.dropped` record, so positions hold); the app that
 * continues a session states its own context again.
 */
import { pairingProblems } from '../core/history';
import type { ResponseItem } from '../core/items';
import { asText, fromBase64, toBase64, validateSnapshot, type Snapshot } from '../sandbox/snapshot';
import { hashBytes, isHash } from './hash';
import { foldLog, type LogView } from './log-fold';
import { isUnshownInstruction } from '../core/context/index';
import { DROPPED_RECORD, itemRecord, parseRecord, storedRecord, type DroppedRecord, type ParsedRecord } from './log-records';
import { checkManifest, ManifestHistory, snapshotFromState, stateFromSnapshot, type ManifestRecord } from './manifests';
import { DEFAULT_TITLE } from './title';
import { checkItem, describe, hostileKeyProblems, isObject, isTimestamp } from './validate';

export const DOCUMENT_FORMAT = 'unroll-session';
export const DOCUMENT_VERSION = 2;
/** Larger files are refused before parsing: a session with a big workspace is a few MB. */
export const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;
export const MAX_DOCUMENT_ITEMS = 100_000;
const MAX_IMPORT_TITLE_CHARS = 500;
/** Problems listed before "…and N more". */
const MAX_LISTED = 20;

export interface WorkspaceDocument {
  /** Oldest first; by default only the newest (as a full listing). */
  manifests: ManifestRecord[];
  /** File contents by hash: UTF-8 text, or base64 for other bytes. */
  texts: Record<string, string>;
  binaries: Record<string, string>;
}

export interface SessionDocument {
  format: typeof DOCUMENT_FORMAT;
  version: typeof DOCUMENT_VERSION;
  session: { title: string; model: string; createdAt: number; updatedAt: number };
  /** The log's records by position (null where the log had a gap). */
  log: unknown[];
  workspace: WorkspaceDocument | null;
}

export type DocumentCheck = { ok: true; document: SessionDocument; warnings: string[] } | { ok: false; problems: string[] };

export interface DocumentSession {
  title: string;
  model: string;
  createdAt: number;
  updatedAt: number;
}

/** The document for a session; copies only the allowed fields of `meta`. */
export function buildDocument(meta: DocumentSession, log: readonly unknown[], workspace: WorkspaceDocument | null): SessionDocument {
  return {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    session: { title: meta.title, model: meta.model, createdAt: meta.createdAt, updatedAt: meta.updatedAt },
    log: withoutInstructions(log).log,
    workspace,
  };
}

/** The log in canonical form with every instruction message left out; `removed` counts them. */
export function withoutInstructions(log: readonly unknown[]): { log: unknown[]; removed: number } {
  let removed = 0;
  const out = log.map((value, at) => {
    if (value === undefined || value === null) return null;
    const parsed = parseRecord(value, at);
    if (!parsed.ok) return null;
    const record: ParsedRecord = parsed.value;
    if (record.kind === 'item' && isUnshownInstruction(record.item)) {
      removed += 1;
      return droppedFor(record.item);
    }
    // Tool descriptions from someone else's servers would reach the model unseen.
    if (record.kind === 'toolset') {
      return { type: DROPPED_RECORD, what: 'a tool list' } satisfies DroppedRecord;
    }
    if (record.kind === 'replace') {
      const kept = record.items.filter((item) => !isUnshownInstruction(item));
      removed += record.items.length - kept.length;
      return storedRecord({ kind: 'replace', items: kept });
    }
    return storedRecord(record);
  });
  return { log: out, removed };
}

function droppedFor(item: ResponseItem): DroppedRecord {
  const role = item.type === 'message' ? item.role : 'unknown';
  return { type: DROPPED_RECORD, what: role === 'user' ? 'a context message' : `a ${role} message` };
}

/** The workspace part of a document: `records` and the contents they name, in a fixed order. */
export function workspaceDocument(records: readonly ManifestRecord[], blobs: ReadonlyMap<string, Uint8Array>): WorkspaceDocument {
  const texts: Record<string, string> = {};
  const binaries: Record<string, string> = {};
  const hashes = new Set<string>();
  for (const record of records) for (const ref of Object.values(record.files)) if (ref) hashes.add(ref.hash);
  for (const hash of [...hashes].sort()) {
    const bytes = blobs.get(hash);
    if (!bytes) continue;
    const text = asText(bytes);
    if (text === undefined) binaries[hash] = toBase64(bytes);
    else texts[hash] = text;
  }
  return { manifests: [...records], texts, binaries };
}

export function serializeDocument(document: SessionDocument): string {
  return JSON.stringify(document);
}

/** The log folded: what the document shows. */
export function documentView(document: SessionDocument): LogView {
  return foldLog(document.log.map((value) => value ?? undefined));
}

/** The newest workspace in the document as a snapshot, or null when it has none. */
export function documentFiles(document: SessionDocument): Snapshot | null {
  const workspace = document.workspace;
  const latest = workspace ? new ManifestHistory(workspace.manifests).latest() : null;
  if (!workspace || !latest) return null;
  return snapshotFromState(latest, documentBlobs(workspace)).snapshot;
}

export function documentBlobs(workspace: WorkspaceDocument): Map<string, Uint8Array> {
  const encoder = new TextEncoder();
  const out = new Map<string, Uint8Array>();
  for (const [hash, text] of Object.entries(workspace.texts)) out.set(hash, encoder.encode(text));
  for (const [hash, base64] of Object.entries(workspace.binaries)) out.set(hash, fromBase64(base64));
  return out;
}

/**
 * Checks JSON text (or an already parsed value) as a session document. Refuses oversized
 * input, bad JSON, prototype-tampering keys anywhere, a wrong format or version, records that
 * are not objects, invalid workspaces and contents that do not match their hash, listing each
 * problem in plain words. Broken call/output pairing is reported as a warning (loading repairs it).
 */
export function checkDocument(input: unknown): DocumentCheck {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_DOCUMENT_CHARS)
      return refuse(`The file is too large (${megabytes(input.length)}; the limit is ${megabytes(MAX_DOCUMENT_CHARS)}).`);
    try {
      value = JSON.parse(input);
    } catch (err) {
      return refuse(`The file is not valid JSON (${(err as Error).message}).`);
    }
  }
  const hostile = hostileKeyProblems(value);
  if (hostile.length > 0) return { ok: false, problems: hostile.map((p) => `Refused: ${p}.`) };
  if (!isObject(value) || value.format !== DOCUMENT_FORMAT) {
    return refuse(
      `This is not an Unroll session (its format is ${describe(isObject(value) ? value.format : value)}, expected "${DOCUMENT_FORMAT}").`,
    );
  }
  if (value.version !== 1 && value.version !== DOCUMENT_VERSION) {
    const newer = typeof value.version === 'number' && value.version > DOCUMENT_VERSION;
    return refuse(
      `This session has version ${describe(value.version)}; this Unroll reads versions 1 and ${DOCUMENT_VERSION}${newer ? ' (it was made by a newer Unroll)' : ''}.`,
    );
  }
  const problems: string[] = [];
  const session = checkSession(value.session, problems);
  const body = value.version === 1 ? fromVersion1(value, problems) : checkBody(value, problems);
  if (problems.length > 0 || !session || !body) return { ok: false, problems: cap(problems) };
  const { removed } = withoutInstructions(body.log);
  const document = buildDocument(session, body.log, body.workspace);
  const warnings = pairingProblems(documentView(document).items).map((p) => `Repaired: ${p}.`);
  if (removed > 0) warnings.unshift(hiddenInstructionsNotice(removed));
  return { ok: true, document, warnings: cap(warnings) };
}

function checkBody(value: Record<string, unknown>, problems: string[]): { log: unknown[]; workspace: WorkspaceDocument | null } | null {
  if (!Array.isArray(value.log)) {
    problems.push('It has no "log" list.');
    return null;
  }
  if (value.log.length > MAX_DOCUMENT_ITEMS) {
    problems.push(`It has ${value.log.length} records; the limit is ${MAX_DOCUMENT_ITEMS}.`);
    return null;
  }
  const log: unknown[] = [];
  for (const [at, raw] of value.log.entries()) {
    if (raw === null) {
      log.push(null);
      continue;
    }
    const parsed = parseRecord(raw, at);
    if (parsed.ok) log.push(storedRecord(parsed.value));
    else problems.push(`Record ${at + 1} ${parsed.problem}.`);
  }
  const workspace = value.workspace === null || value.workspace === undefined ? null : checkWorkspace(value.workspace, problems);
  return { log, workspace };
}

function checkWorkspace(value: unknown, problems: string[]): WorkspaceDocument | null {
  if (!isObject(value) || !Array.isArray(value.manifests) || !isObject(value.texts) || !isObject(value.binaries)) {
    problems.push('Its workspace is not a list of manifests with their file contents.');
    return null;
  }
  const manifests: ManifestRecord[] = [];
  for (const [i, raw] of value.manifests.entries()) {
    const checked = checkManifest(raw);
    if (checked.ok) manifests.push(checked.value);
    else problems.push(`Workspace manifest ${i + 1} ${checked.problem}.`);
  }
  manifests.sort((a, b) => a.n - b.n);
  if (manifests.some((m, i) => i > 0 && m.n === manifests[i - 1]!.n)) problems.push('Its workspace has two manifests with the same number.');
  const texts: Record<string, string> = {};
  const binaries: Record<string, string> = {};
  const encoder = new TextEncoder();
  for (const [hash, text] of Object.entries(value.texts)) {
    if (!isHash(hash) || typeof text !== 'string' || hashBytes(encoder.encode(text)) !== hash)
      problems.push(`A file in its workspace does not match its hash ${describe(hash)}.`);
    else texts[hash] = text;
  }
  for (const [hash, base64] of Object.entries(value.binaries)) {
    let ok = false;
    try {
      ok = isHash(hash) && typeof base64 === 'string' && hashBytes(fromBase64(base64)) === hash;
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`A binary file in its workspace does not match its hash ${describe(hash)}.`);
    else binaries[hash] = base64 as string;
  }
  for (const record of manifests) {
    for (const [path, ref] of Object.entries(record.files)) {
      if (ref && !Object.hasOwn(texts, ref.hash) && !Object.hasOwn(binaries, ref.hash)) {
        problems.push(`Its workspace names the file ${describe(path)} without its contents.`);
        return null;
      }
    }
  }
  if (manifests.length && !new ManifestHistory(manifests).latest())
    problems.push('Its newest workspace manifest cannot be read (its chain has a gap).');
  return { manifests, texts, binaries };
}

/** A version 1 document (items and one snapshot) as version 2's log and workspace. */
function fromVersion1(value: Record<string, unknown>, problems: string[]): { log: unknown[]; workspace: WorkspaceDocument | null } | null {
  const items = checkItems(value.items, problems);
  let snapshot: Snapshot | null = null;
  if (value.snapshot !== null && value.snapshot !== undefined) {
    try {
      snapshot = validateSnapshot(value.snapshot);
    } catch (err) {
      problems.push(`The workspace in it is invalid: ${(err as Error).message}.`);
    }
  }
  if (!items) return null;
  const log = items.map(itemRecord);
  if (!snapshot) return { log, workspace: null };
  const { state, blobs } = stateFromSnapshot(snapshot);
  const files: ManifestRecord['files'] = {};
  for (const path of [...state.files.keys()].sort()) files[path] = state.files.get(path)!;
  const manifest: ManifestRecord = { n: 0, atRecord: log.length, savedAt: 0, reason: 'import', base: true, files, dirs: state.dirs };
  return { log, workspace: workspaceDocument([manifest], blobs) };
}

/** What the person is told when instruction messages were left out of a session they import. */
function hiddenInstructionsNotice(count: number): string {
  return `Left out ${count} instruction message${count === 1 ? '' : 's'} that would have been sent to the model without being shown (developer, system or context messages); this app states its own context instead.`;
}

function checkSession(value: unknown, problems: string[]): SessionDocument['session'] | null {
  if (!isObject(value)) {
    problems.push('It has no "session" details.');
    return null;
  }
  const before = problems.length;
  const title = value.title ?? DEFAULT_TITLE;
  if (typeof title !== 'string' || title.length > MAX_IMPORT_TITLE_CHARS)
    problems.push(`The session title must be text of at most ${MAX_IMPORT_TITLE_CHARS} characters.`);
  const model = value.model ?? '';
  if (typeof model !== 'string' || model.length > MAX_IMPORT_TITLE_CHARS) problems.push('The session model must be a short text.');
  for (const field of ['createdAt', 'updatedAt']) {
    if (value[field] !== undefined && !isTimestamp(value[field])) problems.push(`The session "${field}" must be a time in milliseconds.`);
  }
  if (problems.length > before) return null;
  const createdAt = (value.createdAt as number | undefined) ?? 0;
  return {
    title: (title as string).trim() || DEFAULT_TITLE,
    model: model as string,
    createdAt,
    updatedAt: (value.updatedAt as number | undefined) ?? createdAt,
  };
}

function checkItems(value: unknown, problems: string[]): ResponseItem[] | null {
  if (!Array.isArray(value)) {
    problems.push('It has no "items" list.');
    return null;
  }
  if (value.length > MAX_DOCUMENT_ITEMS) {
    problems.push(`It has ${value.length} items; the limit is ${MAX_DOCUMENT_ITEMS}.`);
    return null;
  }
  const items: ResponseItem[] = [];
  for (const [i, raw] of value.entries()) {
    const checked = checkItem(raw);
    if (checked.ok) items.push(checked.value);
    else problems.push(`Item ${i + 1} ${checked.problem}.`);
  }
  return items.length === value.length ? items : null;
}

function cap(lines: string[]): string[] {
  return lines.length <= MAX_LISTED ? lines : [...lines.slice(0, MAX_LISTED), `…and ${lines.length - MAX_LISTED} more.`];
}

function refuse(problem: string): DocumentCheck {
  return { ok: false, problems: [problem] };
}

function megabytes(chars: number): string {
  return `${(chars / 1024 / 1024).toFixed(1)} MB`;
}
