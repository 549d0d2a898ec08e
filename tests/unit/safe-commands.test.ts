import { describe, expect, it } from 'vitest';
import { isKnownSafe } from '../../src/core/tools/safe-commands';
import { tokenize } from '../../src/core/tools/shell-words';

const words = (src: string) =>
  tokenize(src)?.map((t) => (t.kind === 'word' ? t.word.value : `<${t.op}>`));

describe('tokenize', () => {
  it('splits words and operators, removing quotes and applying escapes', () => {
    expect(words(`grep -n "a;b" 'c d' e\\ f`)).toEqual(['grep', '-n', 'a;b', 'c d', 'e f']);
    expect(words('ls&&pwd||echo x;wc|head')).toEqual(['ls', '<&&>', 'pwd', '<||>', 'echo', 'x', '<;>', 'wc', '<|>', 'head']);
    expect(words(`echo "say \\"hi\\" \\$5" ''`)).toEqual(['echo', 'say "hi" $5', '']);
    expect(words('ls # a comment; rm -rf /\npwd')).toEqual(['ls', '<;>', 'pwd']);
    expect(words('echo a#b')).toEqual(['echo', 'a#b']);
  });

  it('drops redirections that only discard or merge output', () => {
    expect(words('ls x 2>/dev/null')).toEqual(['ls', 'x']);
    expect(words('ls x 2> /dev/null | head')).toEqual(['ls', 'x', '<|>', 'head']);
    expect(words('grep a f 2>&1')).toEqual(['grep', 'a', 'f']);
    expect(words('cat f &>/dev/null')).toEqual(['cat', 'f']);
  });

  it('rejects what it does not fully understand', () => {
    for (const src of [
      'echo $(id)', 'echo `id`', 'echo "$(id)"', 'echo "`id`"', 'echo $HOME', 'echo ${x}', 'echo "$x"',
      "echo $'\\x41'", 'echo $((1+1))', '(ls)', 'ls &', 'cat <<EOF', 'cat < f', 'diff <(ls) f', 'echo >(x)',
      'echo hi > f', 'echo hi >> f', 'echo 2>f', 'ls >| f', 'echo {a,b}', "echo 'unterminated", 'echo "open',
      'echo \\', 'ls |& cat', 'case x in a) ;; esac',
    ]) {
      expect(tokenize(src), src).toBeNull();
    }
  });
});

describe('isKnownSafe', () => {
  it('accepts read-only commands and chains of them', () => {
    for (const cmd of [
      'ls', 'ls -la src', 'cat README.md', 'pwd', 'echo hello', 'true', 'false', 'which git',
      'grep -rn "TODO;FIXME" src', 'head -n 20 a.txt', 'tail -5 log.txt', 'wc -l *.ts', 'stat package.json',
      'file image.png', 'tree -L 2', 'du -sh .', 'nl file', 'cut -d: -f1 /etc/passwd', 'sort names.txt',
      'sort -u names.txt | uniq -c', 'uniq names.txt', 'tr a-z A-Z', 'basename /a/b', 'dirname /a/b',
      'realpath .', 'rg -n "fn main" src', 'rg --files', 'find . -name "*.ts"', 'find src -type f -newer x',
      'git status', 'git status --short', 'git log --oneline -n 5', 'git diff HEAD~1 -- src', 'git show HEAD:README.md',
      'git --no-pager diff', 'git -C sub log', 'git branch', 'git branch -a -v', 'git branch --show-current',
      'git branch --list "feat/*"', 'git branch --contains abc123', 'sed -n 1,20p file.ts', "sed -n '$p' f",
      "sed -n '/start/,/end/p' f", "sed -ne '10p' f", "sed -n -e '1p' -e '5,9p' f", "sed -n 'p'",
      'ls && cat a || echo none; pwd', 'cat a.txt | grep x | wc -l', 'ls\npwd\n', 'cd src && ls',
      'ls 2>/dev/null', 'grep x f 2>&1 | head', "bash -lc 'ls -la'", 'ls src/*.ts', 'cat "a;b" \'c|d\'',
    ]) {
      expect(isKnownSafe(cmd), cmd).toBe(true);
    }
  });

  it('rejects writes, unknown commands and smuggled commands', () => {
    for (const cmd of [
      '', '   ', 'rm -rf /', 'ls; rm -rf /', 'ls && rm x', 'cat x | sh', 'cat $(rm x)', 'cat `rm x`',
      'echo hi > f', 'echo hi >> f', 'ls > /dev/null2', 'touch f', 'mkdir d', 'npm install', 'node x.js',
      'find . -delete', 'find . -exec rm {} ;', "find . -exec rm '{}' \\;", 'find . -execdir ls \\;',
      'find . -ok rm \\;', 'find . -fprint out', 'find . -fprintf out %p', 'find . -fls out',
      'git push', 'git commit -m x', 'git checkout main', 'git reset --hard', 'git -c core.pager=evil log',
      'git branch new-feature', 'git branch -D old', 'git branch -m a b', 'git diff --output=patch.txt',
      'git log --output patch', 'git diff --ext-diff', 'git', 'rg --pre cat x', 'rg --pre=evil x',
      'rg -z x', 'rg --search-zip x', 'sort -o out in', 'sort --output=out in', 'sort -no out in',
      'sort --compress-program=sh f', 'uniq in out', 'uniq src/*', 'tree -o out.txt', 'tree -R -H x',
      'file -C -m magic', 'sed -i s/a/b/ f', 'sed s/a/b/ f', "sed -n 's/a/b/p' f", "sed -n '1w out' f",
      "sed -n '1p;2d' f", 'sed -n', "sed -n 'e rm x' f", 'ls &', 'ls & rm x', '(rm x)', 'ls && (rm x)',
      'X=1 ls', 'PAGER=evil git log', '/bin/rm x', './script.sh', 'ls &&', '&& ls', 'ls | ', '| ls',
      'ls ;; pwd', 'xargs rm', 'find . | xargs rm', 'env rm x', "bash -c 'rm x'", "sh -c 'ls; rm x'",
      'bash script.sh', 'echo {a,b}', 'find *', 'find . -name x *', 'rg x -*', 'find . -delet?',
      'git diff *', 'cat <(rm x)', 'echo hi | tee f', 'python -c 1', 'ls $DIR', 'echo ${HOME}',
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
