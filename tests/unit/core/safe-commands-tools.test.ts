/** The known-safe commands tool by tool: git, sed, file, base64 and the rest of Codex's list, and long options however abbreviated. */
import { describe, expect, it } from 'vitest';
import { isKnownSafe } from '../../../src/core/tools/safe-commands';
import { expectSafe } from '../../support/safe-command-checks';

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
