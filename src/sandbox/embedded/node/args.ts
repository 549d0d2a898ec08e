/**
 * The embedded `node`'s command line and stdin: what to run, decided without loading QuickJS
 * (so `node --version` and mistakes answer at once).
 */
import type { ByteString } from 'just-bash';

/** What `node --version` prints and `process.version` says: Node's API level, plainly marked as QuickJS. */
export const NODE_VERSION = 'v20.0.0-quickjs';
/** The QuickJS release inside @jitl/quickjs-wasmfile-release-sync 0.32. */
export const QUICKJS_VERSION = '2025-09-13';

export const NODE_USAGE =
  'Usage: node [options] [ script.js | -e "code" | -p "expr" | - ] [arguments]\n\n' +
  "This is the embedded sandbox's node: JavaScript on QuickJS (CommonJS require of relative files and\n" +
  'JSON, ES modules by import, built-ins fs, path, os, util, buffer and assert). There is no REPL, no npm\n' +
  'and no network; the WebContainer sandbox has real Node.\n\n' +
  'Options:\n' +
  '  -e, --eval "code"    run code\n' +
  '  -p, --print "expr"   run code and print its result\n' +
  '  -                    run the script on stdin\n' +
  '  -v, --version        print the version\n' +
  '  -h, --help           print this help\n';

export type NodeInvocation =
  | { kind: 'version' }
  | { kind: 'help' }
  | { kind: 'bad'; message: string }
  | { kind: 'file'; file: string; args: string[] }
  | { kind: 'eval'; code: string; print: boolean; args: string[] }
  /** `-`, or nothing to run: the script is stdin (when there is none, the caller prints usage). */
  | { kind: 'stdin'; explicit: boolean; args: string[] };

/** Flags Node has that change nothing here; accepted so copied command lines still run. */
const IGNORED =
  /^--(no-warnings|no-deprecation|enable-source-maps|trace-uncaught|trace-warnings|experimental-[\w-]+|no-experimental-[\w-]+|input-type=[\w-]+|stack-size=\d+|max-old-space-size=\d+|unhandled-rejections=[\w-]+)$/;

export function parseNodeArgs(args: readonly string[]): NodeInvocation {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const rest = () => args.slice(i + 1);
    switch (arg) {
      case '-v':
      case '--version':
        return { kind: 'version' };
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '-e':
      case '--eval':
      case '-p':
      case '--print':
      case '-pe':
      case '-ep': {
        const code = args[i + 1];
        if (code === undefined) return { kind: 'bad', message: `node: ${arg} requires an argument\n` };
        return { kind: 'eval', code, print: arg.includes('p'), args: args.slice(i + 2) };
      }
      case '-':
        return { kind: 'stdin', explicit: true, args: rest() };
      case '--':
        return args[i + 1] === undefined
          ? { kind: 'stdin', explicit: false, args: [] }
          : { kind: 'file', file: args[i + 1] as string, args: args.slice(i + 2) };
      default:
        if (IGNORED.test(arg)) continue;
        if (arg.startsWith('-')) {
          return {
            kind: 'bad',
            message: `node: bad option: ${arg} (the embedded sandbox's node takes -e, -p, -, --version and --help)\n`,
          };
        }
        return { kind: 'file', file: arg, args: rest() };
    }
  }
  return { kind: 'stdin', explicit: false, args: [] };
}

/**
 * The command's stdin as text. A ByteString is a latin1-shaped byte buffer (one char per byte);
 * just-bash's browser bundle does not export its decoder, so this is the same UTF-8 decode.
 */
export function stdinText(stdin: ByteString): string {
  const bytes = stdin as unknown as string;
  if (!bytes) return '';
  return new TextDecoder().decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
}
