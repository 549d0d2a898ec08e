/**
 * The house rule on class privacy, as eslint.config.js sets it for .ts and .svelte files:
 * TypeScript's `private`/`protected` fail the check, `#private` members pass.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const configured = new ESLint();

async function ruleFor(file: string): Promise<unknown> {
  const config = (await configured.calculateConfigForFile(file)) as { rules: Record<string, unknown> };
  return config.rules['no-restricted-syntax'];
}

async function problems(code: string): Promise<string[]> {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        rules: { 'no-restricted-syntax': (await ruleFor('src/sandbox/sandbox.ts')) as never },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: 'fixture.ts' });
  return result!.messages.map((m) => m.message);
}

describe('the #private rule', () => {
  it('is the same for .ts and .svelte files', async () => {
    expect(await ruleFor('src/ui/App.svelte')).toEqual(await ruleFor('src/sandbox/sandbox.ts'));
  });

  it.each([
    ['a private field', 'class A { private x = 1; }'],
    ['a protected field', 'class A { protected x = 1; }'],
    ['a private method', 'class A { private m(): void {} }'],
    ['a private getter', 'class A { private get g(): number { return 1; } }'],
    ['a private accessor', 'class A { private accessor x = 1; }'],
    ['a parameter property', 'class A { constructor(private readonly x: number) {} }'],
    ['a private constructor', 'class A { private constructor() {} }'],
    ['a protected abstract member', 'abstract class A { protected abstract x: number; }'],
  ])('refuses %s', async (_, code) => {
    expect(await problems(code)).toEqual(["Use #private members, not TypeScript's private/protected."]);
  });

  it('allows #private members and public ones', async () => {
    const code =
      'class A { #x = 1; readonly #y: number; constructor(readonly z: number) { this.#y = z; } get #g(): number { return this.#x; } m(): number { return this.#g + this.#y; } }';
    expect(await problems(code)).toEqual([]);
  });
});
