/**
 * Bundles the toolbox (main.ts and just-bash) into one ES module for Node, as the app writes it
 * into a WebContainer. esbuild, already the tool Vite and tsx are built on, bundles it in a
 * fraction of a second. just-bash's optional engines (SQLite, QuickJS, compression codecs)
 * are left out: the container has real node and python3 for what they would do, and a tool
 * that needs one says it is not part of the toolbox.
 */
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

const LEFT_OUT = /^(sql\.js|quickjs-emscripten|@mongodb-js\/zstd|node-liblzma)$/;

const leaveOut: Plugin = {
  name: 'leave-out',
  setup(b) {
    b.onResolve({ filter: LEFT_OUT }, (args) => ({ path: args.path, namespace: 'left-out' }));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      loader: 'js',
      contents:
        `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is not part of the toolbox`)}); };\n` +
        `module.exports = new Proxy(fail, { get: (_t, key) => (key === '__esModule' ? false : fail) });\n`,
    }));
  },
};

export const TOOLBOX_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

/** The toolbox as the text of one `.mjs` file. */
export async function buildToolbox(): Promise<string> {
  const result = await build({
    entryPoints: [TOOLBOX_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    minify: true,
    write: false,
    logLevel: 'silent',
    plugins: [leaveOut],
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('the toolbox bundle is empty');
  return file.text;
}
