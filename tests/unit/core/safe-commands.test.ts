import { describe, expect, it } from 'vitest';
import { isKnownSafe } from '../../../src/core/tools/safe-commands';
import { tokenize } from '../../../src/core/tools/shell-words';

const words = (src: string) => tokenize(src)?.map((t) => (t.kind === 'word' ? t.word.value : `<${t.op}>`));

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
      'echo $(id)',
      'echo `id`',
      'echo "$(id)"',
      'echo "`id`"',
      'echo $HOME',
      'echo ${x}',
      'echo "$x"',
      "echo $'\\x41'",
      'echo $((1+1))',
      '(ls)',
      'ls &',
      'cat <<EOF',
      'cat < f',
      'diff <(ls) f',
      'echo >(x)',
      'echo hi > f',
      'echo hi >> f',
      'echo 2>f',
      'ls >| f',
      'echo {a,b}',
      "echo 'unterminated",
      'echo "open',
      'echo \\',
      'ls |& cat',
      'case x in a) ;; esac',
    ]) {
      expect(tokenize(src), src).toBeNull();
    }
  });
});

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

/** Every command in `cmds` is (or is not) known safe; the failing one is named. */
function expectSafe(cmds: string[], safe: boolean): void {
  for (const cmd of cmds) expect(isKnownSafe(cmd), cmd).toBe(safe);
}

describe('long options are read as GNU getopt reads them: any abbreviation counts', () => {
  it('sort: --output and --compress-program however abbreviated', () => {
    expectSafe(
      ['sort --outp=FILE in', 'sort --o=FILE in', 'sort --out FILE in', 'sort --compress-prog=PROG in', 'sort --compr=sh in', 'sort --co=sh in'],
      false,
    );
    expectSafe(['sort --reverse in', 'sort --unique -k2 in', 'sort --check in'], true);
  });

  it('rg: --pre, --hostname-bin and --search-zip however abbreviated', () => {
    expectSafe(['rg --pr=evil x', 'rg --hostname=evil x', 'rg --host evil x', 'rg --search-z x', 'rg --sea x'], false);
    expectSafe(['rg --pre-glob "*.gz" x', 'rg --hidden x', 'rg --smart-case x'], true);
  });

  it('git: --output, --ext-diff, --textconv, --exec, --paginate however abbreviated; --text is its own option', () => {
    expectSafe(['git log --outp=f', 'git diff --ext', 'git show --textc HEAD', 'git log --exe=x', 'git log --pag', 'git diff --out f'], false);
    expectSafe(
      ['git diff --text', 'git diff --no-ext-diff', 'git show --no-textconv HEAD', 'git log --oneline', 'git diff --output-indicator-new=+'],
      true,
    );
  });

  it('file: --compile and --uncompress however abbreviated', () => {
    expectSafe(['file --comp m', 'file --uncompress x.gz', 'file --uncomp x.gz', 'file --uncompress-noreport x.gz'], false);
  });
});

describe('git (Codex: is_safe_command.rs)', () => {
  it('git_branch_mutating_flags_are_not_safe', () => {
    expectSafe(['git branch -d feature', 'git branch new-branch'], false);
    for (const flags of [
      '-D',
      '-m',
      '-M',
      '-c',
      '-C',
      '--delete',
      '--move',
      '--copy',
      '--set-upstream-to=origin/x',
      '-u origin/x',
      '--unset-upstream',
      '--track',
      '-f',
      '--edit-description',
    ]) {
      expect(isKnownSafe(`git branch ${flags} feature`), flags).toBe(false);
    }
    // Codex lists with no names at all: a pattern or commit after --list/--contains is refused too.
    expectSafe(['git branch --list "feat/*"', 'git branch --contains abc123', 'git branch -v feature', 'git branch --sort=-date'], false);
    expectSafe(
      [
        'git branch',
        'git branch --show-current',
        'git branch -a -v',
        'git branch --list',
        'git branch -vv',
        "git branch --format='%(refname:short)'",
      ],
      true,
    );
  });

  it('git_branch_global_options_respect_safety_rules', () => {
    expectSafe(['git -C . branch --show-current', 'git -C . branch -d feature', "bash -lc 'git -C . branch -d feature'"], false);
  });

  it('git -C, and every global option that points git at another repository, config or helper, is refused', () => {
    expectSafe(
      [
        'git -C sub log',
        'git -Csub status',
        'git --git-dir=.x log',
        'git --git-dir .x log',
        'git --work-tree=/ status',
        'git --exec-path=/tmp status',
        'git --namespace=x log',
        'git --super-prefix=x/ status',
        'git --config-env=core.pager=E log',
        'git -p log',
        'git --paginate log',
        'git --attr-source log push',
        'git --bare log',
        'git -- log',
      ],
      false,
    );
    expectSafe(['git --no-pager log', 'git -P diff', 'git --no-optional-locks status', 'git --literal-pathspecs diff -- a'], true);
  });

  it('git_first_positional_is_the_subcommand', () => {
    expectSafe(['git checkout status', 'git push log'], false);
  });

  it('git_output_and_config_override_flags_are_not_safe', () => {
    expectSafe(
      [
        'git log --output=/tmp/git-log-out-test -n 1',
        'git diff --output /tmp/git-diff-out-test',
        'git show --output=/tmp/git-show-out-test HEAD',
        'git -c core.pager=cat log -n 1',
        'git -ccore.pager=cat status',
      ],
      false,
    );
  });

  it('git log --exec / --ext-diff and git show --textconv run other programs', () => {
    expectSafe(['git log --exec=x', 'git log --ext-diff -p', 'git show --textconv HEAD:a.png', 'git diff --paginate'], false);
  });
});

describe('other tools on the list', () => {
  it('file -z and -Z may run external decompressors', () => {
    expectSafe(['file -z a.gz', 'file -Z a.gz', 'file -bz a.gz', 'file -C -m magic'], false);
    expectSafe(['file image.png', 'file -b --mime-type a'], true);
  });

  it('base64_output_options_are_unsafe', () => {
    expectSafe(['base64 -o out.bin', 'base64 --output out.bin', 'base64 --output=out.bin', 'base64 -ob64.txt', 'base64 --outp=x'], false);
    expectSafe(['base64', 'base64 -d in.b64', 'base64 -w0 file'], true);
  });

  it("known_safe_examples: the rest of Codex's list", () => {
    expectSafe(
      ['expr 1 + 2', 'id', 'paste a b', 'rev f', 'seq 5', 'uname -a', 'whoami', 'numfmt 1000', 'tac Cargo.toml', 'nl -nrz Cargo.toml'],
      true,
    );
  });

  it('zsh_lc_safe_command_sequence', () => {
    expect(isKnownSafe("zsh -lc 'ls'")).toBe(true);
    expect(isKnownSafe("zsh -lc 'ls && rm x'")).toBe(false);
  });

  it('sed -n with a command that writes, reads another file or executes is refused', () => {
    expectSafe(
      [
        "sed -n '1w out' f",
        "sed -n '1W out' f",
        "sed -n 'e rm x' f",
        "sed -n '1r /etc/passwd' f",
        "sed -n '1R other' f",
        "sed -n 's/a/b/w out' f",
        "sed -n 's/a/id/e' f",
        "sed -n '1p;w out' f",
        "sed -n -e 1p -e 'w out' f",
        "sed -n --expression='w out' f",
        'sed -n -f script.sed f',
        'sed -n 1p -i f',
        'sed -n -s 1p f',
        "sed -n '1!p' f",
      ],
      false,
    );
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
