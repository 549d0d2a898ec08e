/** Tab completion in the embedded terminal: the line shell over real just-bash. */
import { describe, expect, it } from 'vitest';
import { commonPrefix, escapeWord, formatListing, wordAt } from '../../../src/sandbox/embedded/completion';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const settle = async () => {
  for (let i = 0; i < 50; i++) await tick();
};

async function open(files: Record<string, string> = {}) {
  const sb = createEmbeddedSandbox({ files });
  const shell = sb.openShell({ cols: 80, rows: 24 });
  let raw = '';
  shell.onOutput((data) => {
    raw += data;
  });
  /** Sends keys and returns what the shell printed for them. */
  const keys = async (data: string): Promise<string> => {
    const before = raw.length;
    shell.write(data);
    await settle();
    return raw.slice(before);
  };
  /** Runs a line and returns its output up to the next prompt. */
  const run = (line: string) => keys(`${line}\r`);
  return { sb, shell, keys, run };
}

describe('wordAt', () => {
  it('finds the word before the cursor and whether it names a command', () => {
    expect(wordAt('ec', 2)).toMatchObject({ prefix: 'ec', start: 0, command: true });
    expect(wordAt('cat sr', 6)).toMatchObject({ prefix: 'sr', start: 4, command: false });
    expect(wordAt('ls | gr', 7)).toMatchObject({ prefix: 'gr', command: true });
    expect(wordAt('cd x && ec', 10)).toMatchObject({ prefix: 'ec', command: true });
    expect(wordAt('./scr', 5)).toMatchObject({ prefix: './scr', command: false });
    expect(wordAt('cat my\\ d', 9)).toMatchObject({ typed: 'my\\ d', prefix: 'my d', start: 4 });
    expect(wordAt('echo "open', 10)).toBeUndefined();
    expect(wordAt('cat ', 4)).toMatchObject({ prefix: '', command: false });
  });

  it('escapes, common prefixes and the listing', () => {
    expect(escapeWord("my dir/it's")).toBe("my\\ dir/it\\'s");
    expect(commonPrefix(['src/app.ts', 'src/api/'])).toBe('src/ap');
    expect(
      formatListing(
        [
          { word: 'a/b.txt', directory: false },
          { word: 'a/c/', directory: true },
        ],
        80,
      ),
    ).toBe('b.txt  c/');
  });
});

describe('Tab in the embedded terminal', () => {
  it("completes a command name from just-bash's commands and builtins", async () => {
    const { keys } = await open();
    expect(await keys('ech\t')).toBe('ech' + 'o ');
    expect(await keys('hi\r')).toContain('hi\r\n');
    expect(await keys('expo\t')).toContain('rt ');
  });

  it('completes paths relative to the cwd; directories get a slash, files a space', async () => {
    const { keys, run } = await open({ 'src/app.ts': '', 'src/lib/util.ts': '', 'README.md': '# hi\n', 'my dir/notes.txt': 'n\n' });
    await keys('cat REA\t');
    expect(await run('')).toContain('# hi');
    expect(await keys('ls s\t')).toBe('ls s' + 'rc/');
    expect(await keys('l\t')).toBe('l' + 'ib/');
    expect(await run('')).toContain('util.ts');
    await keys('cat my\t');
    await keys('n\t');
    expect(await run('')).toContain('n\r\n');
    await run('cd src');
    expect(await keys('cat ap\t')).toBe('cat ap' + 'p.ts ');
  });

  it('a second Tab lists the candidates when ambiguous, then the line is back as it was', async () => {
    const { keys } = await open({ 'alpha.txt': '', 'alps.txt': '', 'beta.txt': '' });
    expect(await keys('cat al\t')).toBe('cat al' + 'p');
    expect(await keys('\t')).toBe(''); // nothing more to add: bash rings the bell here
    const listing = await keys('\t');
    expect(listing).toMatch(/^\r\nalpha\.txt\s+alps\.txt\r\n/);
    expect(listing).not.toContain('beta');
    expect(listing).toMatch(/\$ cat alp$/);
    expect(await keys('ha\t')).toContain('.txt ');
  });

  it('first words list commands on a second Tab; keys typed meanwhile are kept', async () => {
    const { keys } = await open();
    await keys('he\t');
    expect(await keys('\t')).toMatch(/head\s+help/);
    expect(await keys('\x15ech\tone; ech\ttwo\r')).toContain('one\r\ntwo\r\n');
  });
});
