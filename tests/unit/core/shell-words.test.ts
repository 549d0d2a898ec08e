/** The shell words of a command (tokenize): quotes, escapes, operators, and what is refused. */
import { describe, expect, it } from 'vitest';
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
