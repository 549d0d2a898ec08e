import { describe, expect, it } from 'vitest';
import { patchView } from '../../../src/app/patch-view';
import { diffSnapshots, summarizeDiff } from '../../../src/app/turn-diff';
import type { Snapshot } from '../../../src/sandbox/snapshot';

const snap = (files: Record<string, string>, binary: Record<string, string> = {}): Snapshot => ({
  format: 'unroll-workspace',
  version: 1,
  files,
  binary,
  dirs: [],
});

describe('diffSnapshots', () => {
  it('reports added, modified and deleted files with git-like hunks and counts', () => {
    const before = snap({ 'a.txt': 'one\ntwo\nthree\n', 'gone.txt': 'x\n', 'same.txt': 's\n' });
    const after = snap({ 'a.txt': 'one\n2\nthree\nfour\n', 'new.txt': 'n1\nn2\n', 'same.txt': 's\n' });
    const changes = diffSnapshots(before, after);
    expect(changes.map((c) => [c.path, c.kind, c.added, c.removed])).toEqual([
      ['a.txt', 'modified', 2, 1],
      ['gone.txt', 'deleted', 0, 1],
      ['new.txt', 'added', 2, 0],
    ]);
    expect(changes[0]!.lines).toEqual([
      { kind: 'hunk', text: '@@ -1,3 +1,4 @@' },
      { kind: 'context', text: 'one' },
      { kind: 'remove', text: 'two' },
      { kind: 'add', text: '2' },
      { kind: 'context', text: 'three' },
      { kind: 'add', text: 'four' },
    ]);
    expect(changes[0]).toMatchObject({ before: 'one\ntwo\nthree\n', after: 'one\n2\nthree\nfour\n' });
    expect(summarizeDiff(changes)).toBe('3 files changed, +4 −2');
  });

  it('marks binary changes without line diffs and skips unchanged files', () => {
    const changes = diffSnapshots(snap({}, { 'img.png': 'AAAA' }), snap({}, { 'img.png': 'AAAB' }));
    expect(changes).toEqual([expect.objectContaining({ path: 'img.png', kind: 'modified', binary: true, lines: [] })]);
    expect(diffSnapshots(snap({ a: '1' }), snap({ a: '1' }))).toEqual([]);
  });

  it('does not compare huge files line by line', () => {
    const big = 'x\n'.repeat(300_000);
    const [change] = diffSnapshots(snap({ big }), snap({ big: `${big}y\n` }));
    expect(change!.lines).toEqual([{ kind: 'hunk', text: 'Too large to compare line by line.' }]);
  });
});

describe('patchView', () => {
  it('shows updates with hunks, moves and deletes', () => {
    const view = patchView(
      [
        '*** Begin Patch',
        '*** Update File: src/a.js',
        '*** Move to: src/b.js',
        '@@ function f',
        ' keep',
        '-old',
        '+new',
        '+more',
        '*** Delete File: c.txt',
        '*** End Patch',
      ].join('\n'),
    );
    expect(view!.files).toEqual([
      {
        path: 'src/a.js',
        kind: 'update',
        moveTo: 'src/b.js',
        added: 2,
        removed: 1,
        lines: [
          { kind: 'hunk', text: '@@ function f' },
          { kind: 'context', text: 'keep' },
          { kind: 'remove', text: 'old' },
          { kind: 'add', text: 'new' },
          { kind: 'add', text: 'more' },
        ],
      },
      { path: 'c.txt', kind: 'delete', added: 0, removed: 0, lines: [] },
    ]);
  });

  it('is null for text that is not a patch', () => {
    expect(patchView('rm -rf /')).toBeNull();
    expect(patchView('{"input": 3}')).toBeNull();
    expect(patchView('{not json')).toBeNull();
  });
});
