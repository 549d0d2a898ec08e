/**
 * The compiler options the editor gives Monaco's TypeScript service, checked with Monaco's own
 * TypeScript worker (its bundled TypeScript and lib files), run here without a browser.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error Monaco ships no types for its worker's module, only for what it exposes.
import { TypeScriptWorker } from 'monaco-editor/languages/features/typescript/tsWorker';
import { WORKSPACE_COMPILER_OPTIONS } from '../../../src/ui/editor/monaco-options';

interface Suggestion {
  start?: number;
  length?: number;
  reportsDeprecated?: unknown;
}

/** The worker as the editor runs it, over one file (a mirror model as Monaco's worker host sees it). */
function workerFor(path: string, text: string) {
  const model = { uri: { toString: () => `file://${path}`, path }, getValue: () => text, version: 1 };
  const context = { getMirrorModels: () => [model] };
  const Worker = TypeScriptWorker as new (ctx: unknown, data: unknown) => { getSuggestionDiagnostics(file: string): Promise<Suggestion[]> };
  const worker = new Worker(context, { compilerOptions: WORKSPACE_COMPILER_OPTIONS, extraLibs: {}, inlayHintsOptions: {} });
  return {
    deprecated: async () =>
      (await worker.getSuggestionDiagnostics(`file://${path}`))
        .filter((d) => d.reportsDeprecated)
        .map((d) => text.slice(d.start, (d.start ?? 0) + (d.length ?? 0))),
  };
}

const SOURCE = "const name = 'world';\nconsole.log(`Hello, ${name}!`, escape(name));\n";

describe('Monaco compiler options for the workspace', () => {
  it('a .js file’s own `name` is not the browser’s deprecated window.name: nothing but escape() is struck through', async () => {
    // escape() is deprecated in every lib: it shows that deprecations are still reported.
    expect(await workerFor('/workspace/hello.js', SOURCE).deprecated()).toEqual(['escape']);
  });

  it('the same holds in a .ts file without imports or exports', async () => {
    expect(await workerFor('/workspace/hello.ts', SOURCE).deprecated()).toEqual(['escape']);
  });
});
