/**
 * apply_patch where a plain port of Codex's rules went wrong: appends listed before other
 * hunks, files that are not UTF-8, byte-order marks; and the description the model reads.
 */
import { describe, expect, it } from 'vitest';
import { Bash } from 'just-bash';
import { applyPatchTool } from '../../../src/core/tools/apply-patch/index';
import { createJustBashPort } from '../../../src/sandbox/just-bash-port';
import { apply, applyError, patchToolContext, ROOT, wrap } from '../../support/apply-patch-fixtures';
import { MemoryFs } from '../../support/memory-fs';

/** A just-bash sandbox holding `files` (bytes or text) under /workspace, and its port's fs. */
function bashFs(files: Record<string, string | Uint8Array>) {
  const bash = new Bash({ files: Object.fromEntries(Object.entries(files).map(([p, c]) => [`${ROOT}/${p}`, c])), cwd: ROOT });
  const port = createJustBashPort({ bash, root: ROOT });
  return { fs: port.fs, bytes: async (path: string) => [...(await bash.fs.readFileBuffer(`${ROOT}/${path}`))] };
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

describe('hunks that only add lines', () => {
  it('test_pure_addition_chunk_followed_by_removal: an append listed first does not hide the rest of the file', async () => {
    const fs = new MemoryFs({ '/workspace/panic.txt': 'line1\nline2\nline3\n' });
    await apply(
      fs,
      wrap('*** Update File: panic.txt', '@@', '+after-context', '+second-line', '@@', ' line1', '-line2', '-line3', '+line2-replacement'),
    );
    expect(fs.files.get('/workspace/panic.txt')).toBe('line1\nline2-replacement\nafter-context\nsecond-line\n');
  });

  it('two appends land at the end in the order the patch gives them', async () => {
    const fs = new MemoryFs({ '/workspace/a.txt': 'a\n' });
    await apply(fs, wrap('*** Update File: a.txt', '@@', '+first', '@@', '+second'));
    expect(fs.files.get('/workspace/a.txt')).toBe('a\nfirst\nsecond\n');
  });

  it('an append after an @@ line still moves the search past that line', async () => {
    const fs = new MemoryFs({ '/workspace/a.txt': 'x\nhead\nx\n' });
    await apply(fs, wrap('*** Update File: a.txt', '@@ head', '+inserted', '@@', '-x', '+X'));
    expect(fs.files.get('/workspace/a.txt')).toBe('x\nhead\ninserted\nX\n');
  });
});

describe('files that are not UTF-8', () => {
  const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a, 0x6f, 0x6b, 0x0a]); // "café\nok\n" in Latin-1

  it('refuses to update one, names it, and leaves its bytes alone', async () => {
    const { fs, bytes } = bashFs({ 'menu.txt': latin1 });
    const err = await applyError(fs, wrap('*** Update File: menu.txt', '@@', '-ok', '+OK'));
    expect(err.message).toMatch(/^Failed to read file to update "menu\.txt": it is not valid UTF-8/);
    expect(await bytes('menu.txt')).toEqual([...latin1]);
  });

  it('refuses the whole patch, so its other files stay as they were', async () => {
    const { fs, bytes } = bashFs({ 'menu.txt': latin1, 'a.txt': 'a\n' });
    await applyError(fs, wrap('*** Update File: a.txt', '@@', '-a', '+A', '*** Update File: menu.txt', '@@', '-ok', '+OK'));
    expect(await bytes('a.txt')).toEqual(utf8('a\n'));
  });

  it('reports the refusal as a failed apply_patch call', async () => {
    const { fs } = bashFs({ 'menu.txt': latin1 });
    const { ctx } = patchToolContext(fs, { policy: 'never' });
    const r = await applyPatchTool.run(wrap('*** Update File: menu.txt', '@@', '-ok', '+OK'), ctx);
    expect(r.success).toBe(false);
    expect(r.output).toMatch(/^apply_patch verification failed: Failed to read file to update "menu\.txt": it is not valid UTF-8/);
    expect(r.output).not.toContain('\ufffd');
  });

  it('can still delete one', async () => {
    const { fs } = bashFs({ 'menu.txt': latin1 });
    const r = await apply(fs, wrap('*** Delete File: menu.txt'));
    expect(r.summary).toBe('Success. Updated the following files:\nD menu.txt\n');
    expect(await fs.stat(`${ROOT}/menu.txt`)).toBeNull();
  });

  it('a file that contains U+FFFD itself is valid UTF-8 and can be updated', async () => {
    const { fs, bytes } = bashFs({ 'odd.txt': 'bad \ufffd char\nok\n' });
    await apply(fs, wrap('*** Update File: odd.txt', '@@', '-ok', '+OK'));
    expect(await bytes('odd.txt')).toEqual(utf8('bad \ufffd char\nOK\n'));
  });
});

describe('a byte-order mark', () => {
  it('stays when the first line changes', async () => {
    const fs = new MemoryFs({ '/workspace/a.csv': '\ufeffname,age\r\nann,3\r\n' });
    await apply(fs, wrap('*** Update File: a.csv', '@@', '-name,age', '+name,age,city'));
    expect(fs.files.get('/workspace/a.csv')).toBe('\ufeffname,age,city\r\nann,3\r\n');
  });

  it('stays in the bytes the sandbox writes back', async () => {
    const { fs, bytes } = bashFs({ 'a.txt': new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('first\nsecond\n')]) });
    await apply(fs, wrap('*** Update File: a.txt', '@@', '-first', '+FIRST'));
    expect(await bytes('a.txt')).toEqual([0xef, 0xbb, 0xbf, ...utf8('FIRST\nsecond\n')]);
  });
});

describe('the description the model reads', () => {
  it('states the stricter rules in both forms of the tool', () => {
    for (const customTools of [true, false]) {
      const description = applyPatchTool.spec({ customTools, reasoning: true, compact: true }).description ?? '';
      expect(description).toContain('A patch applies whole or not at all');
      expect(description).toContain('Add File and Move to never overwrite an existing file');
      expect(description).toContain('CRLF stays CRLF');
      expect(description).toContain('not UTF-8 text cannot be updated');
    }
  });
});
