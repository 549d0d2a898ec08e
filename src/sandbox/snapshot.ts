/**
 * The workspace as one serialisable value, for persistence and share links: text files as
 * strings, other files as base64, empty directories listed. Paths are relative to the root.
 */

export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  format: 'unroll-workspace';
  version: typeof SNAPSHOT_VERSION;
  /** Text files (valid UTF-8). */
  files: Record<string, string>;
  /** Binary files, base64. */
  binary: Record<string, string>;
  /** Directories with nothing in them (others are implied by their files). */
  dirs: string[];
}

/** Folder names that can be rebuilt and are left out of snapshots wherever they appear. */
export const REBUILDABLE_DIRS: readonly string[] = [
  'node_modules',
  '.npm',
  '.pnpm-store',
  '.yarn',
  '.cache',
  '.vite',
  '.svelte-kit',
  '.next',
  '.nuxt',
  '.turbo',
  '.parcel-cache',
  'dist',
  'build',
  'coverage',
];

export function isRebuildable(relativePath: string): boolean {
  return relativePath.split('/').some((part) => REBUILDABLE_DIRS.includes(part));
}

export function emptySnapshot(): Snapshot {
  return { format: 'unroll-workspace', version: SNAPSHOT_VERSION, files: {}, binary: {}, dirs: [] };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are valid UTF-8 without NUL bytes, else undefined. */
export function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Checks an untrusted value (an import, a share link) and returns it as a Snapshot, or
 * throws an Error saying what is wrong. Paths must be relative and stay inside the root.
 */
export function validateSnapshot(value: unknown): Snapshot {
  const v = value as Partial<Snapshot> | null;
  if (!v || typeof v !== 'object' || v.format !== 'unroll-workspace') throw new Error('not a workspace snapshot');
  if (v.version !== SNAPSHOT_VERSION) throw new Error(`unsupported snapshot version ${String(v.version)}`);
  const files = record(v.files, 'files');
  const binary = record(v.binary, 'binary');
  if (!Array.isArray(v.dirs) || v.dirs.some((d) => typeof d !== 'string')) throw new Error('snapshot "dirs" must be a list of paths');
  for (const path of [...Object.keys(files), ...Object.keys(binary), ...v.dirs]) checkRelative(path);
  for (const [path, text] of Object.entries(binary)) if (!isBase64(text)) throw new Error(`snapshot binary file "${path}" is not base64`);
  checkConsistent(files, binary, v.dirs);
  return { format: 'unroll-workspace', version: SNAPSHOT_VERSION, files, binary, dirs: [...v.dirs] };
}

/** Standard base64 that `atob` accepts: padded to a multiple of 4, or unpadded but not 4n+1 long. */
function isBase64(text: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return false;
  return text.length % 4 === 0 || (!text.includes('=') && text.length % 4 !== 1);
}

/** No path may be stored twice, or lie under a path stored as a file (restore could not write it). */
function checkConsistent(files: Record<string, string>, binary: Record<string, string>, dirs: string[]): void {
  const isFile = new Set(Object.keys(files));
  for (const path of Object.keys(binary)) {
    if (isFile.has(path)) throw new Error(`snapshot path "${path}" is both a text and a binary file`);
    isFile.add(path);
  }
  for (const path of [...isFile, ...dirs]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (isFile.has(parent)) throw new Error(`snapshot path "${path}" is inside "${parent}", which is a file`);
    }
  }
  for (const dir of dirs) if (isFile.has(dir)) throw new Error(`snapshot path "${dir}" is both a file and a directory`);
}

function record(value: unknown, name: string): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`snapshot "${name}" must be an object`);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, content] of Object.entries(value)) {
    if (typeof content !== 'string') throw new Error(`snapshot file "${key}" must be a string`);
    out[key] = content;
  }
  return out;
}

function checkRelative(path: string): void {
  const hostile = hostileNameProblem(path);
  if (hostile) throw new Error(`snapshot ${hostile}`);
  if (!path || path.startsWith('/') || path.includes('\\') || path.includes('\0')) throw new Error(`snapshot path "${path}" is not a relative path`);
  if (path.split('/').some((part) => part === '..' || part === '' || part === '.'))
    throw new Error(`snapshot path "${path}" leaves the workspace or is not normalised`);
}

/**
 * Characters no file name may hold: C0/C1 control characters (newlines, escapes, NUL) and DEL,
 * which break listings and terminals, and the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which make a name display as another ("txt.exe" shown as
 * "exe.txt").
 */
const HOSTILE_NAME_CHAR = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const CHAR_NAMES: Record<string, string> = {
  '\n': 'a line feed',
  '\r': 'a carriage return',
  '\t': 'a tab',
  '\0': 'a NUL',
  '\u001b': 'an escape',
  '\u007f': 'a delete',
  '\u202a': 'a left-to-right embedding',
  '\u202b': 'a right-to-left embedding',
  '\u202c': 'a pop directional formatting',
  '\u202d': 'a left-to-right override',
  '\u202e': 'a right-to-left override',
  '\u2066': 'a left-to-right isolate',
  '\u2067': 'a right-to-left isolate',
  '\u2068': 'a first strong isolate',
  '\u2069': 'a pop directional isolate',
};

/** `U+202E`: how a hostile character is named in messages. */
function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `path` with every hostile character written as `\u{…}`, safe to put in a message. */
function printablePath(path: string, max = 120): string {
  const shown = path.length > max ? `${path.slice(0, max)}…` : path;
  return shown.replace(HOSTILE_NAME_CHAR, (char) => `\\u{${char.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/**
 * What is wrong with a path holding a control or bidirectional character, naming the first one
 * (escaped), or undefined when it holds none. Used for every path read from an import or a link.
 */
export function hostileNameProblem(path: string): string | undefined {
  const found = path.match(new RegExp(HOSTILE_NAME_CHAR.source));
  if (!found) return undefined;
  const char = found[0];
  const name = CHAR_NAMES[char] ?? 'a control character';
  return `path "${printablePath(path)}" holds ${codePoint(char)} (${name}); file names with control or bidirectional characters are refused`;
}
