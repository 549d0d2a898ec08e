/**
 * A session as a self-contained JSON document (export files and share links), and the
 * thorough check every incoming document goes through. Documents are built from an explicit
 * allow-list of fields, so nothing a session row might carry besides them (let alone
 * settings or an API key) can reach a file or a link.
 */
import { normalizeHistory, pairingProblems } from '../core/history';
import type { ResponseItem } from '../core/items';
import { validateSnapshot, type Snapshot } from '../sandbox/snapshot';
import type { SessionMeta } from './session-index';
import { DEFAULT_TITLE } from './title';
import { checkItem, describe, hostileKeyProblems, isObject, isTimestamp } from './validate';

export const DOCUMENT_FORMAT = 'unroll-session';
export const DOCUMENT_VERSION = 1;
/** Larger files are refused before parsing: a session with a big workspace is a few MB. */
export const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;
export const MAX_DOCUMENT_ITEMS = 100_000;
export const MAX_IMPORT_TITLE_CHARS = 500;
/** Problems listed before "…and N more". */
const MAX_LISTED = 20;

export interface SessionDocument {
  format: typeof DOCUMENT_FORMAT;
  version: typeof DOCUMENT_VERSION;
  session: { title: string; model: string; createdAt: number; updatedAt: number };
  items: ResponseItem[];
  snapshot: Snapshot | null;
}

export type DocumentCheck =
  | { ok: true; document: SessionDocument; warnings: string[] }
  | { ok: false; problems: string[] };

/** The document for a session; copies only the allowed fields of `meta`. */
export function buildDocument(meta: SessionMeta, items: readonly ResponseItem[], snapshot: Snapshot | null): SessionDocument {
  return {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    session: { title: meta.title, model: meta.model, createdAt: meta.createdAt, updatedAt: meta.updatedAt },
    items: [...items],
    snapshot,
  };
}

export function serializeDocument(document: SessionDocument): string {
  return JSON.stringify(document);
}

/**
 * Checks JSON text (or an already parsed value) as a session document. Refuses oversized
 * input, bad JSON, prototype-tampering keys anywhere, a wrong format or version, items that
 * are not wire items and invalid workspaces, listing each problem in plain words. Items with
 * broken call/output pairing are repaired (as after a crash) and reported as warnings.
 */
export function checkDocument(input: unknown): DocumentCheck {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_DOCUMENT_CHARS) return refuse(`The file is too large (${megabytes(input.length)}; the limit is ${megabytes(MAX_DOCUMENT_CHARS)}).`);
    try {
      value = JSON.parse(input);
    } catch (err) {
      return refuse(`The file is not valid JSON (${(err as Error).message}).`);
    }
  }
  const hostile = hostileKeyProblems(value);
  if (hostile.length > 0) return { ok: false, problems: hostile.map((p) => `Refused: ${p}.`) };
  if (!isObject(value) || value.format !== DOCUMENT_FORMAT) {
    return refuse(`This is not an Unroll session (its format is ${describe(isObject(value) ? value.format : value)}, expected "${DOCUMENT_FORMAT}").`);
  }
  if (value.version !== DOCUMENT_VERSION) {
    const newer = typeof value.version === 'number' && value.version > DOCUMENT_VERSION;
    return refuse(`This session has version ${describe(value.version)}; this Unroll reads version ${DOCUMENT_VERSION}${newer ? ' (it was made by a newer Unroll)' : ''}.`);
  }
  const problems: string[] = [];
  const session = checkSession(value.session, problems);
  const items = checkItems(value.items, problems);
  let snapshot: Snapshot | null = null;
  if (value.snapshot !== null && value.snapshot !== undefined) {
    try {
      snapshot = validateSnapshot(value.snapshot);
    } catch (err) {
      problems.push(`The workspace in it is invalid: ${(err as Error).message}.`);
    }
  }
  if (problems.length > 0 || !session || !items) return { ok: false, problems: cap(problems) };
  const warnings = pairingProblems(items).map((p) => `Repaired: ${p}.`);
  return {
    ok: true,
    document: { format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION, session, items: normalizeHistory(items), snapshot },
    warnings: cap(warnings),
  };
}

function checkSession(value: unknown, problems: string[]): SessionDocument['session'] | null {
  if (!isObject(value)) {
    problems.push('It has no "session" details.');
    return null;
  }
  const before = problems.length;
  const title = value.title ?? DEFAULT_TITLE;
  if (typeof title !== 'string' || title.length > MAX_IMPORT_TITLE_CHARS) problems.push(`The session title must be text of at most ${MAX_IMPORT_TITLE_CHARS} characters.`);
  const model = value.model ?? '';
  if (typeof model !== 'string' || model.length > MAX_IMPORT_TITLE_CHARS) problems.push('The session model must be a short text.');
  for (const field of ['createdAt', 'updatedAt']) {
    if (value[field] !== undefined && !isTimestamp(value[field])) problems.push(`The session "${field}" must be a time in milliseconds.`);
  }
  if (problems.length > before) return null;
  const createdAt = (value.createdAt as number | undefined) ?? 0;
  return { title: (title as string).trim() || DEFAULT_TITLE, model: model as string, createdAt, updatedAt: (value.updatedAt as number | undefined) ?? createdAt };
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
