/**
 * The layering rule (eslint/layers.js) on fixtures placed, virtually, in each layer: an import
 * that reaches the wrong way fails the check; the ones the architecture allows pass.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { house } from '../../../eslint/layers.js';

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { house }, rules: { 'house/layers': 'error' } }],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.map((m) => m.message);
}

describe('the layers rule', () => {
  it.each([
    ['src/core/fixture.ts', "import { Settings } from '../app/settings.svelte';", 'core/ may not import app/'],
    ['src/core/tools/fixture.ts', "import { McpHub } from '../../mcp/hub';", 'core/ may not import mcp/'],
    ['src/store/fixture.ts', "import { ChatSession } from '../app/chat.svelte';", 'store/ may not import app/'],
    ['src/model/scripted/fixture.ts', "export { x } from '../../ui/chat/markdown';", 'model/ may not import ui/'],
    ['src/app/fixture.ts', "const ui = import('../ui/App.svelte');", 'app/ may not import ui/'],
    ['src/ui/chat/fixture.ts', "import { Agent } from '../../core/loop';", 'ui/ may not import core/'],
  ])('refuses %s: %s', async (file, code, expected) => {
    const found = await problems(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it.each([
    ['src/core/tools/fixture.ts', "import { items } from '../items';"],
    ['src/app/fixture.ts', "import { Agent } from '../core/loop';"],
    ['src/ui/chat/fixture.ts', "import type { Agent } from '../../core/loop';"],
    ['src/ui/chat/fixture.ts', "import { type Agent, type AgentOptions } from '../../core/loop';"],
    ['src/ui/fixture.ts', "import SandboxStatus from './sandbox/SandboxStatus.svelte';"],
    ['src/mcp/fixture.ts', "import { Client } from '@modelcontextprotocol/sdk/client/index.js';"],
  ])('allows %s: %s', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
