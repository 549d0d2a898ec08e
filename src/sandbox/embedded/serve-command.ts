/**
 * `serve [DIR]` in the embedded sandbox, and what people type for it elsewhere (`npx serve
 * DIR`, `npx http-server DIR`, `python3 -m http.server [PORT] [-d DIR]`): no server can run
 * here, but the Preview pane serves the workspace's files as a static site, so these open it on
 * DIR and say so, then end (commands here run to completion).
 */
import { defineCommand, type Command, type ExecResult } from 'just-bash';

/** Asks the app to show the site in `dir` (absolute). */
export type SiteRequest = (dir: string) => void;

interface ServeContext {
  cwd: string;
  fs: { exists(path: string): Promise<boolean>; stat(path: string): Promise<{ isDirectory: boolean }> };
}

export async function serveSite(dirArg: string | undefined, ctx: ServeContext, request: SiteRequest, root: string): Promise<ExecResult> {
  const dir = resolve(ctx.cwd, dirArg ?? '.');
  if (dir !== root && !dir.startsWith(`${root}/`)) {
    return { stdout: '', stderr: `serve: ${dir} is outside the workspace (${root})\n`, exitCode: 1 };
  }
  const isDir = await ctx.fs.stat(dir).then(
    (s) => s.isDirectory,
    () => false,
  );
  if (!isDir) return { stdout: '', stderr: `serve: ${dirArg ?? dir}: no such directory\n`, exitCode: 1 };
  request(dir);
  const hasIndex = await ctx.fs.exists(`${dir}/index.html`);
  const lines = [
    `Serving ${dir} in the Preview pane: preview://workspace${dir === root ? '' : dir.slice(root.length)}/`,
    'No server runs here: the preview reads each page and file from the workspace (TypeScript and JSX compiled), and reloads when they change.',
    hasIndex ? '' : `There is no index.html in ${dir} yet: the preview shows a 404 page until there is one.`,
  ];
  return { stdout: `${lines.filter(Boolean).join('\n')}\n`, stderr: '', exitCode: 0 };
}

function resolve(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

export function serveCommand(request: SiteRequest, root: string): Command {
  return defineCommand('serve', async (args, ctx) => {
    const dir = args.find((a) => !a.startsWith('-'));
    return serveSite(dir, ctx, request, root);
  });
}

/**
 * The directory `npx serve`/`npx http-server`/`python3 -m http.server` were asked to serve, or
 * null when the command is something else.
 */
export function servedDirectory(command: 'npx' | 'python3', args: string[]): string | null | undefined {
  if (command === 'npx') {
    const rest = args.filter((a) => a !== '-y' && a !== '--yes');
    if (!/^(serve|http-server)(@.*)?$/.test(rest[0] ?? '')) return null;
    return rest.slice(1).find((a) => !a.startsWith('-') && !/^\d+$/.test(a));
  }
  if (args[0] !== '-m' || args[1] !== 'http.server') return null;
  const flag = args.findIndex((a) => a === '-d' || a === '--directory');
  return flag >= 0 ? args[flag + 1] : undefined;
}
