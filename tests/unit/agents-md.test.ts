import { describe, expect, it } from 'vitest';
import { Bash } from 'just-bash';
import {
  AGENTS_DEFAULT,
  AGENTS_OVERRIDE,
  GLOBAL_SEPARATOR,
  PROJECT_DOC_BUDGET,
  agentsDocsText,
  discoverAgentsDocs,
  type AgentsDocsOptions,
} from '../../src/core/context/agents-md';
import type { SandboxFs } from '../../src/core/ports';
import { createJustBashPort, type JustBashLike } from '../../src/sandbox/just-bash-port';
import { MemoryFs } from '../support/memory-fs';

/** A real just-bash filesystem holding `files`, plus empty directories `dirs`. */
async function bashFs(files: Record<string, string>, dirs: string[] = []): Promise<{ fs: SandboxFs; bash: Bash }> {
  const bash = new Bash({ files, cwd: '/' });
  const fs = createJustBashPort({ bash, root: '/workspace' }).fs;
  for (const dir of dirs) await fs.mkdir(dir);
  return { fs, bash };
}

/**
 * A Bash whose filesystem rejects `op` for the given paths, as a permission problem would.
 * Everything else passes through to the real filesystem.
 */
function failingBash(bash: Bash, op: 'readFile' | 'exists', paths: readonly string[]): JustBashLike {
  const fs = new Proxy(bash.fs, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (path: string, ...rest: unknown[]) =>
        prop === op && paths.includes(path)
          ? Promise.reject(new Error(`EACCES: permission denied, ${op} '${path}'`))
          : (value as (...args: unknown[]) => unknown).call(target, path, ...rest);
    },
  });
  return { fs, exec: bash.exec.bind(bash) };
}

async function discover(files: Record<string, string>, options: Omit<AgentsDocsOptions, 'fs'>, dirs: string[] = []) {
  const { fs } = await bashFs(files, dirs);
  return discoverAgentsDocs({ fs, ...options });
}

const GIT = { '/workspace/.git/HEAD': 'ref: refs/heads/main\n' };

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
    expect(docs.sources).toEqual([
      '/workspace/AGENTS.md',
      '/workspace/packages/app/AGENTS.md',
      '/workspace/packages/app/src/AGENTS.md',
    ]);
  });

  it('finds the root from a .git file (worktree or submodule) as well as a .git directory', async () => {
    const docs = await discover(
      { '/workspace/.git': 'gitdir: /elsewhere/.git/worktrees/w\n', '/workspace/AGENTS.md': 'root', '/workspace/a/AGENTS.md': 'a' },
      { cwd: '/workspace/a' },
    );
    expect(docs.text).toBe('root\n\na');
  });

  it('finds the root from an empty .git directory', async () => {
    const docs = await discover({ '/workspace/AGENTS.md': 'root', '/workspace/a/AGENTS.md': 'a' }, { cwd: '/workspace/a' }, [
      '/workspace/.git',
    ]);
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
    const docs = await discover(
      { '/AGENTS.md': 'above', '/workspace/AGENTS.md': 'here', '/workspace/.git': 'gitdir: x' },
      { cwd: '/workspace' },
    );
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
    const docs = await discover(
      { ...GIT, '/workspace/AGENTS.md': 'ééééé', '/workspace/a/AGENTS.md': 'later' },
      { cwd: '/workspace/a', budget: 10 },
    );
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

describe('discoverAgentsDocs: the global doc', () => {
  it('comes first, joined to the project docs by the separator line', async () => {
    const docs = await discover(
      { ...GIT, '/home/.unroll/AGENTS.md': 'global rules\n', '/workspace/AGENTS.md': 'root', '/workspace/a/AGENTS.md': 'a' },
      { cwd: '/workspace/a', configHome: '/home/.unroll' },
    );
    expect(GLOBAL_SEPARATOR).toBe('\n\n--- project-doc ---\n\n');
    expect(docs.text).toBe('global rules\n\n--- project-doc ---\n\nroot\n\na');
    expect(docs.sources).toEqual(['/home/.unroll/AGENTS.md', '/workspace/AGENTS.md', '/workspace/a/AGENTS.md']);
  });

  it('prefers the global AGENTS.override.md over the global AGENTS.md', async () => {
    const docs = await discover(
      { [`/home/${AGENTS_OVERRIDE}`]: 'override', [`/home/${AGENTS_DEFAULT}`]: 'default' },
      { cwd: '/workspace', configHome: '/home' },
      ['/workspace'],
    );
    expect(docs).toEqual({ text: 'override', sources: ['/home/AGENTS.override.md'] });
  });

  it('falls back to the global AGENTS.md when the global override is blank', async () => {
    const docs = await discover(
      { '/home/AGENTS.override.md': '  \n', '/home/AGENTS.md': 'default' },
      { cwd: '/workspace', configHome: '/home' },
      ['/workspace'],
    );
    expect(docs).toEqual({ text: 'default', sources: ['/home/AGENTS.md'] });
  });

  it('stands alone, without a separator, when there are no project docs', async () => {
    const docs = await discover({ ...GIT, '/home/AGENTS.md': 'global only' }, { cwd: '/workspace', configHome: '/home' });
    expect(docs.text).toBe('global only');
  });

  it('is not charged against the project budget', async () => {
    const docs = await discover(
      { ...GIT, '/home/AGENTS.md': 'g'.repeat(100), '/workspace/AGENTS.md': 'projectdoc' },
      { cwd: '/workspace', configHome: '/home', budget: 7 },
    );
    expect(docs.text).toBe(`${'g'.repeat(100)}${GLOBAL_SEPARATOR}project`);
  });

  it('ignores fallback names in the config home', async () => {
    const docs = await discover(
      { '/home/CLAUDE.md': 'not global' },
      { cwd: '/workspace', configHome: '/home', fallbackNames: ['CLAUDE.md'] },
      ['/workspace'],
    );
    expect(docs.text).toBe('');
  });
});

describe('discoverAgentsDocs over MemoryFs', () => {
  it('follows the same rules', async () => {
    const fs = new MemoryFs({
      '/workspace/.git/HEAD': 'ref',
      '/workspace/AGENTS.md': 'root',
      '/workspace/pkg/AGENTS.override.md': 'override',
      '/workspace/pkg/AGENTS.md': 'hidden',
    });
    expect(await discoverAgentsDocs({ fs, cwd: '/workspace/pkg' })).toEqual({
      text: 'root\n\noverride',
      sources: ['/workspace/AGENTS.md', '/workspace/pkg/AGENTS.override.md'],
    });
  });
});

describe('agentsDocsText', () => {
  it('wraps the docs as Codex does', () => {
    expect(agentsDocsText('/workspace/app', 'Use tabs.\n\nRun npm test.')).toBe(
      '# AGENTS.md instructions for /workspace/app\n\n<INSTRUCTIONS>\nUse tabs.\n\nRun npm test.\n</INSTRUCTIONS>',
    );
  });
});
