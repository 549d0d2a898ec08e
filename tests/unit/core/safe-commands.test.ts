/** The known-safe commands (isKnownSafe): read-only commands and chains of them; writes, smuggling and redirections refused. */
import { describe, expect, it } from 'vitest';
import { isKnownSafe } from '../../../src/core/tools/safe-commands';
import { expectSafe } from '../../support/safe-command-checks';

describe('isKnownSafe', () => {
  it('accepts read-only commands and chains of them', () => {
    for (const cmd of [
      'ls',
      'ls -la src',
      'cat README.md',
      'pwd',
      'echo hello',
      'true',
      'false',
      'which git',
      'grep -rn "TODO;FIXME" src',
      'head -n 20 a.txt',
      'tail -5 log.txt',
      'wc -l *.ts',
      'stat package.json',
      'file image.png',
      'tree -L 2',
      'du -sh .',
      'nl file',
      'cut -d: -f1 /etc/passwd',
      'sort names.txt',
      'sort -u names.txt | uniq -c',
      'uniq names.txt',
      'tr a-z A-Z',
      'basename /a/b',
      'dirname /a/b',
      'realpath .',
      'rg -n "fn main" src',
      'rg --files',
      'find . -name "*.ts"',
      'find src -type f -newer x',
      'git status',
      'git status --short',
      'git log --oneline -n 5',
      'git diff HEAD~1 -- src',
      'git show HEAD:README.md',
      'git --no-pager diff',
      'git branch',
      'git branch -a -v',
      'git branch --show-current',
      'sed -n 1,20p file.ts',
      "sed -n '$p' f",
      "sed -n '/start/,/end/p' f",
      "sed -ne '10p' f",
      "sed -n -e '1p' -e '5,9p' f",
      "sed -n 'p'",
      'ls && cat a || echo none; pwd',
      'cat a.txt | grep x | wc -l',
      'ls\npwd\n',
      'cd src && ls',
      'ls 2>/dev/null',
      'grep x f 2>&1 | head',
      "bash -lc 'ls -la'",
      'ls src/*.ts',
      'cat "a;b" \'c|d\'',
    ]) {
      expect(isKnownSafe(cmd), cmd).toBe(true);
    }
  });

  it('rejects writes, unknown commands and smuggled commands', () => {
    for (const cmd of [
      '',
      '   ',
      'rm -rf /',
      'ls; rm -rf /',
      'ls && rm x',
      'cat x | sh',
      'cat $(rm x)',
      'cat `rm x`',
      'echo hi > f',
      'echo hi >> f',
      'ls > /dev/null2',
      'touch f',
      'mkdir d',
      'npm install',
      'node x.js',
      'find . -delete',
      'find . -exec rm {} ;',
      "find . -exec rm '{}' \\;",
      'find . -execdir ls \\;',
      'find . -ok rm \\;',
      'find . -fprint out',
      'find . -fprintf out %p',
      'find . -fls out',
      'git push',
      'git commit -m x',
      'git checkout main',
      'git reset --hard',
      'git -c core.pager=evil log',
      'git branch new-feature',
      'git branch -D old',
      'git branch -m a b',
      'git diff --output=patch.txt',
      'git log --output patch',
      'git diff --ext-diff',
      'git',
      'rg --pre cat x',
      'rg --pre=evil x',
      'rg -z x',
      'rg --search-zip x',
      'sort -o out in',
      'sort --output=out in',
      'sort -no out in',
      'sort --compress-program=sh f',
      'uniq in out',
      'uniq src/*',
      'tree -o out.txt',
      'tree -R -H x',
      'file -C -m magic',
      'sed -i s/a/b/ f',
      'sed s/a/b/ f',
      "sed -n 's/a/b/p' f",
      "sed -n '1w out' f",
      "sed -n '1p;2d' f",
      'sed -n',
      "sed -n 'e rm x' f",
      'ls &',
      'ls & rm x',
      '(rm x)',
      'ls && (rm x)',
      'X=1 ls',
      'PAGER=evil git log',
      '/bin/rm x',
      './script.sh',
      'ls &&',
      '&& ls',
      'ls | ',
      '| ls',
      'ls ;; pwd',
      'xargs rm',
      'find . | xargs rm',
      'env rm x',
      "bash -c 'rm x'",
      "sh -c 'ls; rm x'",
      'bash script.sh',
      'echo {a,b}',
      'find *',
      'find . -name x *',
      'rg x -*',
      'find . -delet?',
      'git diff *',
      'cat <(rm x)',
      'echo hi | tee f',
      'python -c 1',
      'ls $DIR',
      'echo ${HOME}',
    ]) {
      expect(isKnownSafe(cmd), cmd).toBe(false);
    }
  });

  it('treats quoted operators as plain arguments', () => {
    expect(isKnownSafe('grep "a; rm -rf /" f')).toBe(true);
    expect(isKnownSafe("echo 'ls && rm x'")).toBe(true);
    expect(isKnownSafe('echo "a|b" && cat "c > d"')).toBe(true);
    expect(isKnownSafe('echo a\\;rm x')).toBe(true); // escaped ; is part of a word
  });

  it('does not let quoting hide a dangerous option', () => {
    expect(isKnownSafe("find . '-delete'")).toBe(false);
    expect(isKnownSafe('find . "-exec" rm {} \\;')).toBe(false);
    expect(isKnownSafe("git 'push'")).toBe(false);
    expect(isKnownSafe("'rm' x")).toBe(false);
  });
});

describe('redirections other than to /dev/null make a command unsafe', () => {
  it('writes to a file in every spelling', () => {
    expectSafe(
      [
        'cat f > out',
        'cat f >out',
        'cat f 1>out',
        'ls 2>file',
        'ls 2> file',
        'ls &>file',
        'ls &>>file',
        'ls >>out',
        'ls >|out',
        'ls >& file',
        'ls >/dev/null >out',
        'ls 2>/dev/null/../../tmp/x',
        'ls > "/dev/null"x',
        'cat f | wc > n',
        'ls 2>/dev/null; cat f >out',
      ],
      false,
    );
  });

  it('discarding or merging output is fine', () => {
    expectSafe(['ls 2>/dev/null', 'ls >/dev/null 2>&1', 'ls &>/dev/null', 'ls >>/dev/null', 'grep x f 2>&1 | head'], true);
  });
});
