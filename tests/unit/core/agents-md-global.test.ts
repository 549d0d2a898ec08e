import { describe, expect, it } from 'vitest';
import { AGENTS_DEFAULT, AGENTS_OVERRIDE, GLOBAL_SEPARATOR, agentsDocsText, discoverAgentsDocs } from '../../../src/core/context/agents-md';
import { MemoryFs } from '../../support/memory-fs';
import { discover, GIT } from '../../support/agents-fixtures';

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
    const docs = await discover({ '/home/AGENTS.override.md': '  \n', '/home/AGENTS.md': 'default' }, { cwd: '/workspace', configHome: '/home' }, [
      '/workspace',
    ]);
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
    const docs = await discover({ '/home/CLAUDE.md': 'not global' }, { cwd: '/workspace', configHome: '/home', fallbackNames: ['CLAUDE.md'] }, [
      '/workspace',
    ]);
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
