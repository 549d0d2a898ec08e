import { describe, expect, it } from 'vitest';
import { PROJECT_DOC_BUDGET, discoverAgentsDocs } from '../../../src/core/context/agents-md';
import { Bash } from 'just-bash';
import type { SandboxFs } from '../../../src/core/ports';
import { createJustBashPort } from '../../../src/sandbox/just-bash-port';
import { bashFs, discover, failingBash, GIT } from '../../support/agents-fixtures';

describe('discoverAgentsDocs: which directories are searched', () => {
  it('reads every directory from the git root down to cwd, root first, joined by a blank line', async () => {
    const docs = await discover(
      {
        ...GIT,
        '/workspace/AGENTS.md': 'root rules',
        '/workspace/packages/app/AGENTS.md': 'app rules',
        '/workspace/packages/app/src/AGENTS.md': 'src rules',
        '/workspace/packages/other/AGENTS.md': 'not on the path',
      },
      { cwd: '/workspace/packages/app/src' },
    );
    expect(docs.text).toBe('root rules\n\napp rules\n\nsrc rules');
    expect(docs.sources).toEqual(['/workspace/AGENTS.md', '/workspace/packages/app/AGENTS.md', '/workspace/packages/app/src/AGENTS.md']);
  });

  it('finds the root from a .git file (worktree or submodule) as well as a .git directory', async () => {
    const docs = await discover(
      { '/workspace/.git': 'gitdir: /elsewhere/.git/worktrees/w\n', '/workspace/AGENTS.md': 'root', '/workspace/a/AGENTS.md': 'a' },
      { cwd: '/workspace/a' },
    );
    expect(docs.text).toBe('root\n\na');
  });

  it('finds the root from an empty .git directory', async () => {
    const docs = await discover({ '/workspace/AGENTS.md': 'root', '/workspace/a/AGENTS.md': 'a' }, { cwd: '/workspace/a' }, ['/workspace/.git']);
    expect(docs.text).toBe('root\n\na');
  });

  it('uses the nearest ancestor holding .git and never walks above it', async () => {
    const docs = await discover(
      {
        ...GIT,
        '/AGENTS.md': 'filesystem root',
        '/workspace/AGENTS.md': 'outer repo',
        '/workspace/vendor/lib/.git': 'gitdir: ../../.git/modules/lib\n',
        '/workspace/vendor/lib/AGENTS.md': 'inner repo',
        '/workspace/vendor/lib/src/AGENTS.md': 'inner src',
      },
      { cwd: '/workspace/vendor/lib/src' },
    );
    expect(docs.text).toBe('inner repo\n\ninner src');
  });

  it('counts cwd itself as the root when it holds .git', async () => {
    const docs = await discover({ '/AGENTS.md': 'above', '/workspace/AGENTS.md': 'here', '/workspace/.git': 'gitdir: x' }, { cwd: '/workspace' });
    expect(docs.text).toBe('here');
  });

  it('searches only cwd when no ancestor holds .git', async () => {
    const docs = await discover(
      { '/AGENTS.md': 'slash', '/workspace/AGENTS.md': 'parent', '/workspace/app/AGENTS.md': 'cwd' },
      { cwd: '/workspace/app' },
    );
    expect(docs).toEqual({ text: 'cwd', sources: ['/workspace/app/AGENTS.md'] });
  });

  it('finds nothing (and says so) when there is no .git and cwd has no doc', async () => {
    const docs = await discover({ '/workspace/AGENTS.md': 'parent' }, { cwd: '/workspace/app' }, ['/workspace/app']);
    expect(docs).toEqual({ text: '', sources: [] });
  });

  it('accepts a cwd with trailing slashes and dot segments', async () => {
    const docs = await discover({ ...GIT, '/workspace/AGENTS.md': 'root', '/workspace/a/AGENTS.md': 'a' }, { cwd: '/workspace/b/../a/./' }, [
      '/workspace/b',
    ]);
    expect(docs.text).toBe('root\n\na');
    expect(docs.sources).toEqual(['/workspace/AGENTS.md', '/workspace/a/AGENTS.md']);
  });

  it('takes a relative cwd from "/" (and terminates)', async () => {
    const docs = await discover({ '/workspace/AGENTS.md': 'rel' }, { cwd: 'workspace' });
    expect(docs.text).toBe('rel');
  });

  it('returns nothing, without throwing, when cwd does not exist', async () => {
    expect(await discover({ '/workspace/AGENTS.md': 'x' }, { cwd: '/missing/dir' })).toEqual({ text: '', sources: [] });
  });
});

describe('discoverAgentsDocs: which file a directory contributes', () => {
  it('prefers AGENTS.override.md over AGENTS.md in the same directory only', async () => {
    const docs = await discover(
      {
        ...GIT,
        '/workspace/AGENTS.md': 'shared root',
        '/workspace/app/AGENTS.override.md': 'local app',
        '/workspace/app/AGENTS.md': 'shared app',
      },
      { cwd: '/workspace/app' },
    );
    expect(docs.text).toBe('shared root\n\nlocal app');
    expect(docs.sources).toEqual(['/workspace/AGENTS.md', '/workspace/app/AGENTS.override.md']);
  });

  it('tries configured fallback names, in order, after the two standard names', async () => {
    const files = {
      ...GIT,
      '/workspace/CLAUDE.md': 'claude root',
      '/workspace/.agents.md': 'dot root',
      '/workspace/a/.agents.md': 'dot a',
      '/workspace/a/b/AGENTS.md': 'agents b',
      '/workspace/a/b/CLAUDE.md': 'claude b',
    };
    const docs = await discover(files, { cwd: '/workspace/a/b', fallbackNames: ['CLAUDE.md', '.agents.md'] });
    expect(docs.text).toBe('claude root\n\ndot a\n\nagents b');
    expect(docs.sources).toEqual(['/workspace/CLAUDE.md', '/workspace/a/.agents.md', '/workspace/a/b/AGENTS.md']);

    const reversed = await discover(files, { cwd: '/workspace/a/b', fallbackNames: ['.agents.md', 'CLAUDE.md'] });
    expect(reversed.text).toBe('dot root\n\ndot a\n\nagents b');
  });

  it('ignores fallback names unless configured', async () => {
    const docs = await discover({ ...GIT, '/workspace/CLAUDE.md': 'claude' }, { cwd: '/workspace' });
    expect(docs).toEqual({ text: '', sources: [] });
  });

  it('lets an empty AGENTS.override.md silence the AGENTS.md beside it (the first existing file claims the directory)', async () => {
    const docs = await discover(
      {
        ...GIT,
        '/workspace/AGENTS.override.md': '',
        '/workspace/AGENTS.md': 'shared root',
        '/workspace/app/AGENTS.override.md': ' \n\t\n',
        '/workspace/app/AGENTS.md': 'shared app',
        '/workspace/app/deep/AGENTS.md': 'deep',
      },
      { cwd: '/workspace/app/deep' },
    );
    expect(docs.text).toBe('deep');
    expect(docs.sources).toEqual(['/workspace/app/deep/AGENTS.md']);
  });

  it('skips empty and whitespace-only docs without a stray blank line', async () => {
    const docs = await discover(
      { ...GIT, '/workspace/AGENTS.md': 'root', '/workspace/a/AGENTS.md': '\n   \n', '/workspace/a/b/AGENTS.md': 'b' },
      { cwd: '/workspace/a/b' },
    );
    expect(docs.text).toBe('root\n\nb');
    expect(docs.sources).toEqual(['/workspace/AGENTS.md', '/workspace/a/b/AGENTS.md']);
  });

  it('trims each doc', async () => {
    const docs = await discover(
      { ...GIT, '/workspace/AGENTS.md': '\n\n  # Root\n- two spaces\n\n\n', '/workspace/a/AGENTS.md': '\tA\n' },
      { cwd: '/workspace/a' },
    );
    expect(docs.text).toBe('# Root\n- two spaces\n\nA');
  });

  it('does not take a directory named AGENTS.md for a file', async () => {
    const docs = await discover(
      { ...GIT, '/workspace/AGENTS.md/notes.txt': 'inside a directory', '/workspace/CLAUDE.md': 'fallback' },
      { cwd: '/workspace', fallbackNames: ['CLAUDE.md'] },
    );
    expect(docs).toEqual({ text: 'fallback', sources: ['/workspace/CLAUDE.md'] });
    expect(await discover({ ...GIT }, { cwd: '/workspace' }, ['/workspace/AGENTS.override.md'])).toEqual({ text: '', sources: [] });
  });

  it('follows a symlinked AGENTS.md', async () => {
    const { fs, bash } = await bashFs({ ...GIT, '/shared/team.md': 'team rules' });
    const linked = await bash.exec('ln -s /shared/team.md /workspace/AGENTS.md');
    expect(linked.exitCode).toBe(0);
    expect((await discoverAgentsDocs({ fs, cwd: '/workspace' })).text).toBe('team rules');
  });
});

describe('discoverAgentsDocs: filesystem failures', () => {
  it('treats an unreadable file as absent and moves on to the next name', async () => {
    const bash = new Bash({
      files: { ...GIT, '/workspace/AGENTS.override.md': 'secret', '/workspace/AGENTS.md': 'readable' },
      cwd: '/',
    });
    const fs = createJustBashPort({ bash: failingBash(bash, 'readFile', ['/workspace/AGENTS.override.md']), root: '/workspace' }).fs;
    expect(await discoverAgentsDocs({ fs, cwd: '/workspace' })).toEqual({ text: 'readable', sources: ['/workspace/AGENTS.md'] });
  });

  it('treats a .git that cannot be checked as absent', async () => {
    const bash = new Bash({ files: { ...GIT, '/workspace/AGENTS.md': 'root', '/workspace/a/AGENTS.md': 'a' }, cwd: '/' });
    const fs = createJustBashPort({ bash: failingBash(bash, 'exists', ['/workspace/.git']), root: '/workspace' }).fs;
    // No root found, so only cwd is searched.
    expect((await discoverAgentsDocs({ fs, cwd: '/workspace/a' })).text).toBe('a');
  });

  it('never throws, even when every filesystem call fails', async () => {
    const broken: SandboxFs = {
      readFile: () => Promise.reject(new Error('EIO')),
      writeFile: () => Promise.reject(new Error('EIO')),
      stat: () => Promise.reject(new Error('EIO')),
      mkdir: () => Promise.reject(new Error('EIO')),
      rm: () => Promise.reject(new Error('EIO')),
      readdir: () => Promise.reject(new Error('EIO')),
    };
    await expect(discoverAgentsDocs({ fs: broken, cwd: '/workspace', configHome: '/home' })).resolves.toEqual({
      text: '',
      sources: [],
    });
  });
});

describe('discoverAgentsDocs: the shared byte budget', () => {
  it('defaults to 32 KiB', () => {
    expect(PROJECT_DOC_BUDGET).toBe(32 * 1024);
  });

  it('cuts a doc larger than the whole budget to exactly the budget', async () => {
    const big = 'x'.repeat(PROJECT_DOC_BUDGET + 5000);
    const docs = await discover({ ...GIT, '/workspace/AGENTS.md': big }, { cwd: '/workspace' });
    expect(docs.text).toBe('x'.repeat(PROJECT_DOC_BUDGET));
    expect(docs.sources).toEqual(['/workspace/AGENTS.md']);
  });

  it('cuts the file that crosses the budget and drops every later one', async () => {
    const docs = await discover(
      {
        ...GIT,
        '/workspace/AGENTS.md': 'abcd', // 4 bytes, 6 left of 10
        '/workspace/a/AGENTS.md': 'efghijklmn', // cut to 6 bytes
        '/workspace/a/b/AGENTS.md': 'never seen',
      },
      { cwd: '/workspace/a/b', budget: 10 },
    );
    expect(docs.text).toBe('abcd\n\nefghij');
    expect(docs.sources).toEqual(['/workspace/AGENTS.md', '/workspace/a/AGENTS.md']);
  });

  it('charges UTF-8 bytes, not UTF-16 code units', async () => {
    // 'é' is 2 bytes: five of them fill a 10-byte budget exactly, so the next doc is dropped.
    const docs = await discover({ ...GIT, '/workspace/AGENTS.md': 'ééééé', '/workspace/a/AGENTS.md': 'later' }, { cwd: '/workspace/a', budget: 10 });
    expect(docs.text).toBe('ééééé');
  });

  it.each([
    ['a 3-byte character cut after its first byte', 'ab€€', 6, 'ab€'],
    ['a 3-byte character cut after its second byte', 'ab€€', 7, 'ab€'],
    ['a cut exactly between characters', 'ab€€', 8, 'ab€€'],
    ['a 4-byte emoji cut in its middle', 'go 😀 now', 5, 'go'],
    ['a 2-byte character cut after its first byte', 'café', 4, 'caf'],
  ])('never splits a character: %s', async (_label, content, budget, expected) => {
    const docs = await discover({ ...GIT, '/workspace/AGENTS.md': content }, { cwd: '/workspace', budget });
    expect(docs.text).toBe(expected);
    expect(docs.text).not.toContain('\uFFFD');
  });

  it('cuts the later file at a character boundary when the remainder ends mid-character', async () => {
    const first = 'r'.repeat(PROJECT_DOC_BUDGET - 7);
    const docs = await discover(
      { ...GIT, '/workspace/AGENTS.md': first, '/workspace/a/AGENTS.md': '日本語です' }, // 3 bytes each
      { cwd: '/workspace/a' },
    );
    // 7 bytes left: two whole characters (6 bytes); the third would need 9.
    expect(docs.text).toBe(`${first}\n\n日本`);
  });

  it('skips a doc whose kept part is blank without charging it', async () => {
    const docs = await discover(
      { ...GIT, '/workspace/AGENTS.md': 'ab', '/workspace/a/AGENTS.md': '   \n', '/workspace/a/b/AGENTS.md': 'cdef' },
      { cwd: '/workspace/a/b', budget: 6 },
    );
    expect(docs.text).toBe('ab\n\ncdef');
  });

  it('disables project docs with a zero budget but keeps the global doc', async () => {
    const docs = await discover(
      { ...GIT, '/workspace/AGENTS.md': 'project', '/home/AGENTS.md': 'global' },
      { cwd: '/workspace', configHome: '/home', budget: 0 },
    );
    expect(docs).toEqual({ text: 'global', sources: ['/home/AGENTS.md'] });
  });
});
