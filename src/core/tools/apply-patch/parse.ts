/**
 * Parser for the apply_patch format. Strict about structure, lenient about the slips models
 * make: surrounding blank lines, CRLF, a shell heredoc wrapper, a missing `@@` before the
 * first hunk, blank context lines that lost their leading space, unified-diff style `@@`
 * headers. Every error names the input line (1-based, counted in the text as received).
 */

export interface Patch {
  ops: FileOp[];
}

export type FileOp = AddFileOp | DeleteFileOp | UpdateFileOp;

interface OpBase {
  /** The path exactly as written in the patch (relative to the working directory). */
  path: string;
  /** Line of the op's `***` header in the input. */
  line: number;
}

export interface AddFileOp extends OpBase {
  kind: 'add';
  /** The file's lines without their `+` prefix. */
  lines: string[];
}

export interface DeleteFileOp extends OpBase {
  kind: 'delete';
}

export interface UpdateFileOp extends OpBase {
  kind: 'update';
  moveTo?: string;
  /** Empty only for a pure rename (`moveTo` set). */
  hunks: Hunk[];
}

export type HunkLineKind = 'context' | 'remove' | 'add';

export interface HunkLine {
  kind: HunkLineKind;
  text: string;
}

export interface Hunk {
  /** The text after `@@ `: a line that must be found before the hunk's lines. */
  context?: string;
  lines: HunkLine[];
  /** `*** End of File` followed the hunk: its lines sit at the very end of the file. */
  endOfFile: boolean;
  /** Line of the `@@` header, or of the first body line when the header was omitted. */
  line: number;
}

/** Every parse, match and apply failure. `line` is set when one input line is at fault. */
export class PatchError extends Error {
  override name = 'PatchError';
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}

/** The lines the hunk expects to find in the file (context and removed lines, in order). */
export function hunkOldLines(hunk: Hunk): string[] {
  return hunk.lines.filter((l) => l.kind !== 'add').map((l) => l.text);
}

/** The lines that replace them (context and added lines, in order). */
export function hunkNewLines(hunk: Hunk): string[] {
  return hunk.lines.filter((l) => l.kind !== 'remove').map((l) => l.text);
}

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File:';
const DELETE = '*** Delete File:';
const UPDATE = '*** Update File:';
const MOVE = '*** Move to:';
const END_OF_FILE = '*** End of File';

/** `<<EOF`, `<<'EOF'`, `<<"EOF"`, optionally preceded by the command name. */
const HEREDOC_OPEN = /^(?:(?:apply_patch|applypatch)\s+)?<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1$/;
/** `@@ -12,7 +12,8 @@ optional text`: the model fell back to unified-diff habits. */
const UNIFIED_HEADER = /^@@\s+-\d+(?:,\d+)?\s+\+\d+(?:,\d+)?\s+@@\s?(.*)$/;

interface Line {
  text: string;
  no: number;
}

function fail(message: string, line: Line): never {
  throw new PatchError(`Invalid patch at line ${line.no}: ${message}\n  line ${line.no}: ${JSON.stringify(line.text)}`, line.no);
}

/** Lines that end the body of an Add or Update op. */
function isOpBoundary(trimmed: string): boolean {
  return trimmed === END || [ADD, DELETE, UPDATE].some((marker) => trimmed.startsWith(marker));
}

function headerPath(line: Line, marker: string): string {
  const path = line.text.trim().slice(marker.length).trim();
  if (path === '') fail(`expected a path after "${marker}"`, line);
  return path;
}

export function parsePatch(input: string): Patch {
  const all: Line[] = input
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((text, i) => ({ text: text.endsWith('\r') ? text.slice(0, -1) : text, no: i + 1 }));
  let lines = trimBlank(all);
  const first = lines[0];
  if (!first) throw new PatchError(`Invalid patch: the input is empty; a patch starts with "${BEGIN}" and ends with "${END}".`);

  const heredoc = HEREDOC_OPEN.exec(first.text.trim());
  if (heredoc) {
    const tag = heredoc[2];
    const closing = lines.at(-1);
    lines = trimBlank(lines.slice(1, closing && closing !== first && closing.text.trim() === tag ? -1 : undefined));
  }

  const begin = lines[0];
  if (!begin) throw new PatchError(`Invalid patch: nothing follows the heredoc line; expected "${BEGIN}".`, first.no);
  if (begin.text.trim() !== BEGIN) fail(`the first line must be "${BEGIN}"`, begin);

  const ops: FileOp[] = [];
  let i = 1;
  for (;;) {
    const line = lines[i];
    if (!line) {
      const last = lines.at(-1) ?? begin;
      fail(`missing "${END}": the patch must end with that line (this is the last line)`, last);
    }
    const trimmed = line.text.trim();
    if (trimmed === '') {
      i++;
    } else if (trimmed === END) {
      i++;
      break;
    } else if (trimmed.startsWith(ADD)) {
      i = parseAdd(lines, i, ops);
    } else if (trimmed.startsWith(DELETE)) {
      ops.push({ kind: 'delete', path: headerPath(line, DELETE), line: line.no });
      i++;
    } else if (trimmed.startsWith(UPDATE)) {
      i = parseUpdate(lines, i, ops);
    } else {
      fail(`expected a file operation ("${ADD} <path>", "${DELETE} <path>", "${UPDATE} <path>") or "${END}"`, line);
    }
  }
  const extra = lines[i];
  if (extra) fail(`unexpected text after "${END}"`, extra);
  if (ops.length === 0) {
    throw new PatchError(`Invalid patch: it contains no file operations (nothing between "${BEGIN}" and "${END}").`);
  }
  return { ops };
}

function trimBlank(lines: Line[]): Line[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.text.trim() === '') start++;
  while (end > start && lines[end - 1]?.text.trim() === '') end--;
  return lines.slice(start, end);
}

/** Parses an Add op starting at `lines[i]`; returns the index of the first line after it. */
function parseAdd(lines: Line[], i: number, ops: FileOp[]): number {
  const header = lines[i] as Line;
  const path = headerPath(header, ADD);
  const content: string[] = [];
  i++;
  for (let line = lines[i]; line; line = lines[i]) {
    if (line.text.startsWith('+')) {
      content.push(line.text.slice(1));
      i++;
      continue;
    }
    const trimmed = line.text.trim();
    if (trimmed === '') {
      // A blank line is file content only if more `+` lines follow; otherwise it separates ops.
      let j = i;
      while (lines[j]?.text.trim() === '') j++;
      if (!lines[j]?.text.startsWith('+')) break;
      for (; i < j; i++) content.push('');
      continue;
    }
    if (isOpBoundary(trimmed)) break;
    fail(`every line of an added file must start with "+" (in "${ADD} ${path}")`, line);
  }
  ops.push({ kind: 'add', path, lines: content, line: header.no });
  return i;
}

/** Parses an Update op (with its optional Move and its hunks) starting at `lines[i]`. */
function parseUpdate(lines: Line[], i: number, ops: FileOp[]): number {
  const header = lines[i] as Line;
  const path = headerPath(header, UPDATE);
  const op: UpdateFileOp = { kind: 'update', path, hunks: [], line: header.no };
  i++;
  const move = lines[i];
  if (move && move.text.trim().startsWith(MOVE)) {
    op.moveTo = headerPath(move, MOVE);
    i++;
  }

  let hunk: Hunk | undefined;
  /** Set after `*** End of File`: the next body line needs a fresh `@@` first. */
  let closed = false;
  /** Blank lines not yet known to be context: they may only separate this op from the next. */
  let pendingBlank = 0;
  const flushBlank = (into: Hunk) => {
    for (; pendingBlank > 0; pendingBlank--) into.lines.push({ kind: 'context', text: '' });
  };

  for (let line = lines[i]; line; line = lines[i]) {
    const text = line.text;
    const trimmed = text.trim();
    if (isOpBoundary(trimmed)) break;
    i++;
    if (text.startsWith('@@')) {
      if (hunk && !closed) flushBlank(hunk);
      pendingBlank = 0;
      requireBody(hunk, path);
      hunk = { lines: [], endOfFile: false, line: line.no };
      const context = hunkContext(text);
      if (context !== undefined) hunk.context = context;
      op.hunks.push(hunk);
      closed = false;
      continue;
    }
    if (trimmed === END_OF_FILE) {
      if (!hunk || closed || hunk.lines.length + pendingBlank === 0) {
        fail(`"${END_OF_FILE}" must follow the lines of a hunk`, line);
      }
      flushBlank(hunk);
      hunk.endOfFile = true;
      closed = true;
      continue;
    }
    if (trimmed === '' && !text.startsWith(' ')) {
      pendingBlank++;
      continue;
    }
    const kind = lineKind(text);
    if (!kind) {
      fail(
        `inside a hunk of "${UPDATE} ${path}" each line must start with " " (context), "-" (remove) or "+" (add), ` +
          `or be "@@", "${END_OF_FILE}", the next file operation or "${END}"`,
        line,
      );
    }
    if (closed) fail(`after "${END_OF_FILE}" a new hunk must start with "@@"`, line);
    if (!hunk) {
      // The first hunk may omit its `@@` header.
      hunk = { lines: [], endOfFile: false, line: line.no };
      op.hunks.push(hunk);
    }
    flushBlank(hunk);
    hunk.lines.push({ kind, text: text.slice(1) });
  }
  requireBody(hunk, path);
  if (op.hunks.length === 0 && op.moveTo === undefined) {
    fail(`"${UPDATE} ${path}" has no hunks: add "@@" followed by context, "-" and "+" lines`, header);
  }
  ops.push(op);
  return i;
}

function requireBody(hunk: Hunk | undefined, path: string): void {
  if (hunk && hunk.lines.length === 0) {
    throw new PatchError(
      `Invalid patch at line ${hunk.line}: a hunk of "${UPDATE} ${path}" has no lines; ` +
        'after "@@" put context (" "), removed ("-") and added ("+") lines.',
      hunk.line,
    );
  }
}

function lineKind(text: string): HunkLineKind | undefined {
  switch (text[0]) {
    case ' ':
      return 'context';
    case '-':
      return 'remove';
    case '+':
      return 'add';
    default:
      return undefined;
  }
}

/** The context text of a `@@` header, or undefined for a bare `@@`. */
function hunkContext(text: string): string | undefined {
  const unified = UNIFIED_HEADER.exec(text.trimEnd());
  if (unified) return unified[1]?.trim() || undefined;
  const rest = text.slice(2);
  const context = rest.startsWith(' ') ? rest.slice(1) : rest;
  return context.trim() === '' ? undefined : context;
}
