import { describe, expect, it } from 'vitest';
import { type Hunk, type UpdateFileOp, PatchError, hunkNewLines, hunkOldLines, parsePatch } from '../../../src/core/tools/apply-patch/parse';
import { APPLY_PATCH_GRAMMAR } from '../../../src/core/tools/apply-patch/grammar';
import { lines, wrap } from '../../support/apply-patch-fixtures';

function parseError(text: string): PatchError {
  try {
    parsePatch(text);
  } catch (err) {
    expect(err).toBeInstanceOf(PatchError);
    return err as PatchError;
  }
  throw new Error('expected parsePatch to fail');
}

function onlyUpdate(text: string): UpdateFileOp {
  const { ops } = parsePatch(text);
  expect(ops).toHaveLength(1);
  const op = ops[0];
  if (op?.kind !== 'update') throw new Error('expected an update op');
  return op;
}

function hunk(op: UpdateFileOp, n: number): Hunk {
  const h = op.hunks[n];
  if (!h) throw new Error(`no hunk ${n}`);
  return h;
}

describe('parsePatch: file operations', () => {
  it('parses Add File with its + lines, keeping blank and indented content', () => {
    const { ops } = parsePatch(wrap('*** Add File: src/new.ts', '+const a = 1;', '+', '+  indented', '+-not a removal'));
    expect(ops).toEqual([{ kind: 'add', path: 'src/new.ts', line: 2, lines: ['const a = 1;', '', '  indented', '-not a removal'] }]);
  });

  it('parses an Add File with no lines as an empty file', () => {
    expect(parsePatch(wrap('*** Add File: empty.txt')).ops).toEqual([{ kind: 'add', path: 'empty.txt', line: 2, lines: [] }]);
  });

  it('parses Delete File', () => {
    expect(parsePatch(wrap('*** Delete File: old.txt')).ops).toEqual([{ kind: 'delete', path: 'old.txt', line: 2 }]);
  });

  it('parses Update File with a bare @@ hunk', () => {
    const op = onlyUpdate(wrap('*** Update File: a.txt', '@@', ' keep', '-old', '+new'));
    expect(op.path).toBe('a.txt');
    expect(op.moveTo).toBeUndefined();
    expect(op.hunks).toEqual([
      {
        line: 3,
        endOfFile: false,
        lines: [
          { kind: 'context', text: 'keep' },
          { kind: 'remove', text: 'old' },
          { kind: 'add', text: 'new' },
        ],
      },
    ]);
    expect(hunkOldLines(hunk(op, 0))).toEqual(['keep', 'old']);
    expect(hunkNewLines(hunk(op, 0))).toEqual(['keep', 'new']);
  });

  it('parses an @@ context header, keeping its inner text verbatim', () => {
    const op = onlyUpdate(wrap('*** Update File: a.py', '@@ def  run(self):', '-    pass', '+    return 1'));
    expect(hunk(op, 0).context).toBe('def  run(self):');
  });

  it('reads unified-diff style @@ headers as bare headers or their trailing text', () => {
    const op = onlyUpdate(wrap('*** Update File: a.py', '@@ -1,3 +1,4 @@', '-a', '+b', '@@ -10,2 +11,2 @@ class Foo:', '-c', '+d'));
    expect(hunk(op, 0).context).toBeUndefined();
    expect(hunk(op, 1).context).toBe('class Foo:');
  });

  it('parses several hunks and End of File', () => {
    const op = onlyUpdate(wrap('*** Update File: a.txt', '@@ first', '-1', '+one', '@@', ' x', '-2', '+two', '*** End of File'));
    expect(op.hunks.map((h) => [h.context, h.endOfFile, h.line])).toEqual([
      ['first', false, 3],
      [undefined, true, 6],
    ]);
  });

  it('parses Move to, with hunks or as a pure rename', () => {
    const op = onlyUpdate(wrap('*** Update File: a.txt', '*** Move to: b/c.txt', '@@', '-x', '+y'));
    expect(op.moveTo).toBe('b/c.txt');
    expect(op.hunks).toHaveLength(1);
    const rename = onlyUpdate(wrap('*** Update File: a.txt', '*** Move to: z.txt'));
    expect(rename.moveTo).toBe('z.txt');
    expect(rename.hunks).toEqual([]);
  });

  it('parses several operations in order, with blank lines between them', () => {
    const { ops } = parsePatch(
      wrap('*** Add File: a', '+1', '', '*** Delete File: b', '', '*** Update File: c', '@@', '-x', '+y', '', '*** Delete File: d'),
    );
    expect(ops.map((o) => `${o.kind} ${o.path}`)).toEqual(['add a', 'delete b', 'update c', 'delete d']);
    const update = ops[2] as UpdateFileOp;
    expect(update.hunks[0]?.lines).toHaveLength(2); // the separator blank line is not context
  });

  it('keeps unicode paths and paths with spaces', () => {
    const { ops } = parsePatch(wrap('*** Add File: docs/résumé café.md', '+x', '*** Delete File: 日本語/ファイル.txt'));
    expect(ops.map((o) => o.path)).toEqual(['docs/résumé café.md', '日本語/ファイル.txt']);
  });
});

describe('parsePatch: leniency', () => {
  it('accepts CRLF line endings and surrounding whitespace', () => {
    const text = '\r\n  \r\n*** Begin Patch  \r\n*** Update File: a.txt\r\n@@\r\n-x\r\n+y\r\n*** End Patch\r\n\r\n';
    const op = onlyUpdate(text);
    expect(op.hunks[0]?.lines).toEqual([
      { kind: 'remove', text: 'x' },
      { kind: 'add', text: 'y' },
    ]);
  });

  it('accepts a leading byte-order mark', () => {
    expect(parsePatch(`\uFEFF${wrap('*** Delete File: a')}`).ops).toHaveLength(1);
  });

  it.each([
    ["<<'EOF'", 'EOF'],
    ['<<EOF', 'EOF'],
    ['<<"PATCH"', 'PATCH'],
    ["apply_patch <<'EOF'", 'EOF'],
    ['applypatch <<EOF', 'EOF'],
  ])('unwraps a heredoc: %s … %s', (open, close) => {
    const text = lines(open, wrap('*** Delete File: a.txt'), close, '');
    expect(parsePatch(text).ops).toEqual([{ kind: 'delete', path: 'a.txt', line: 3 }]);
  });

  it('unwraps a heredoc whose closing tag is missing', () => {
    expect(parsePatch(lines("apply_patch <<'EOF'", wrap('*** Delete File: a.txt'))).ops).toHaveLength(1);
  });

  it('accepts a first hunk without @@', () => {
    const op = onlyUpdate(wrap('*** Update File: a.txt', ' ctx', '-x', '+y', '@@ later', '-p', '+q'));
    expect(op.hunks).toHaveLength(2);
    expect(hunk(op, 0).context).toBeUndefined();
    expect(hunk(op, 0).line).toBe(3);
    expect(hunk(op, 1).context).toBe('later');
  });

  it('reads an empty line inside a hunk as an empty context line', () => {
    const op = onlyUpdate(wrap('*** Update File: a.txt', '@@', ' a', '', '-b', '+c'));
    expect(hunk(op, 0).lines).toEqual([
      { kind: 'context', text: 'a' },
      { kind: 'context', text: '' },
      { kind: 'remove', text: 'b' },
      { kind: 'add', text: 'c' },
    ]);
  });

  it('reads a blank line between Add lines as an empty content line', () => {
    const { ops } = parsePatch(wrap('*** Add File: a.txt', '+one', '', '+three'));
    expect(ops[0]).toMatchObject({ lines: ['one', '', 'three'] });
  });
});

describe('parsePatch: errors', () => {
  it('rejects a missing Begin Patch, naming line 1 and showing it', () => {
    const err = parseError(lines('*** Update File: a.txt', '@@', '-x', '*** End Patch'));
    expect(err.line).toBe(1);
    expect(err.message).toContain('line 1');
    expect(err.message).toContain('*** Begin Patch');
    expect(err.message).toContain('"*** Update File: a.txt"');
  });

  it('rejects a missing End Patch, pointing at the last line', () => {
    const err = parseError(lines('*** Begin Patch', '*** Update File: a.txt', '@@', '-x', '+y'));
    expect(err.line).toBe(5);
    expect(err.message).toContain('missing "*** End Patch"');
    expect(err.message).toContain('"+y"');
  });

  it('rejects an unknown file operation header', () => {
    const err = parseError(wrap('*** Modify File: a.txt'));
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/expected a file operation/);
    expect(err.message).toContain('*** Modify File: a.txt');
  });

  it('rejects an Add line without +', () => {
    const err = parseError(wrap('*** Add File: a.txt', '+ok', 'oops'));
    expect(err.line).toBe(4);
    expect(err.message).toContain('must start with "+"');
    expect(err.message).toContain('"oops"');
  });

  it('rejects a hunk line with no prefix, naming the file', () => {
    const err = parseError(wrap('*** Update File: src/a.ts', '@@', ' ok', 'bad line'));
    expect(err.line).toBe(5);
    expect(err.message).toContain('src/a.ts');
    expect(err.message).toContain('"bad line"');
  });

  it('rejects an Update with no hunks', () => {
    const err = parseError(wrap('*** Update File: a.txt', '*** Delete File: b.txt'));
    expect(err.line).toBe(2);
    expect(err.message).toContain('has no hunks');
  });

  it('rejects an empty hunk', () => {
    const err = parseError(wrap('*** Update File: a.txt', '@@ one', '@@ two', '-x'));
    expect(err.line).toBe(3);
    expect(err.message).toContain('has no lines');
  });

  it('rejects End of File without hunk lines, and lines after it without a new @@', () => {
    expect(parseError(wrap('*** Update File: a.txt', '@@', '*** End of File')).line).toBe(4);
    const err = parseError(wrap('*** Update File: a.txt', '@@', '-x', '*** End of File', '+y'));
    expect(err.line).toBe(6);
    expect(err.message).toContain('new hunk must start with "@@"');
  });

  it('rejects a header without a path', () => {
    expect(parseError(wrap('*** Delete File:')).message).toContain('expected a path');
  });

  it('rejects text after End Patch', () => {
    const err = parseError(lines(wrap('*** Delete File: a'), 'trailing'));
    expect(err.line).toBe(4);
    expect(err.message).toContain('after "*** End Patch"');
  });

  it('rejects empty input and a patch with no operations', () => {
    expect(parseError('  \n ').message).toContain('empty');
    expect(parseError(wrap()).message).toContain('no file operations');
  });

  it('counts lines in the text as received, heredoc and blank lines included', () => {
    const err = parseError(lines('', "<<'EOF'", '*** Begin Patch', '*** Add File: a', 'x', '*** End Patch', 'EOF'));
    expect(err.line).toBe(5);
  });
});

describe('apply_patch Lark grammar', () => {
  it('names every element of the format', () => {
    for (const literal of [
      '"*** Begin Patch"',
      '"*** End Patch"',
      '"*** Add File: "',
      '"*** Delete File: "',
      '"*** Update File: "',
      '"*** Move to: "',
      '"*** End of File"',
      '"@@"',
      '"@@ "',
      '" " TEXT',
      '"-" TEXT',
      '"+" TEXT',
    ]) {
      expect(APPLY_PATCH_GRAMMAR).toContain(literal);
    }
    expect(APPLY_PATCH_GRAMMAR.startsWith('start:')).toBe(true);
  });

  it('defines every rule and terminal it references', () => {
    const body = APPLY_PATCH_GRAMMAR.replace(/"(?:[^"\\]|\\.)*"|\/(?:[^/\\]|\\.)+\//g, '');
    const defined = new Set([...body.matchAll(/^([A-Za-z_]+):/gm)].map((m) => m[1]));
    const used = new Set([...body.matchAll(/\b([A-Za-z_]+)\b(?!:)/g)].map((m) => m[1]));
    for (const name of used) expect(defined, `undefined symbol ${name}`).toContain(name);
  });
});
