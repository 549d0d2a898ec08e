/**
 * `serve DIR` and the commands people type for a static server, in the real embedded sandbox:
 * they open the workspace-site preview on the folder (no server can run here) and say so.
 */
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';

const ROOT = '/home/workspace';

function setup() {
  const sb = createEmbeddedSandbox({ root: ROOT, files: { 'site/index.html': '<h1>hi</h1>', 'empty/.keep': '' } });
  const asked: string[] = [];
  sb.onSiteRequest?.((dir) => asked.push(dir));
  return { sb, asked };
}

describe('serve in the embedded sandbox', () => {
  it('opens the preview on the folder and says what it is', async () => {
    const { sb, asked } = setup();
    const result = await sb.exec.run('serve site', { cwd: ROOT });
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('Serving /home/workspace/site in the Preview pane');
    expect(result.output).toContain('No server runs here');
    expect(asked).toEqual([`${ROOT}/site`]);
  });

  it('answers npx serve, npx http-server and python3 -m http.server the same way', async () => {
    const { sb, asked } = setup();
    expect((await sb.exec.run('npx serve site', { cwd: ROOT })).exitCode).toBe(0);
    expect((await sb.exec.run('npx -y http-server site -p 8080', { cwd: ROOT })).exitCode).toBe(0);
    expect((await sb.exec.run('python3 -m http.server 8000 --directory site', { cwd: ROOT })).exitCode).toBe(0);
    expect((await sb.exec.run('python3 -m http.server', { cwd: `${ROOT}/site` })).exitCode).toBe(0);
    expect(asked).toEqual([`${ROOT}/site`, `${ROOT}/site`, `${ROOT}/site`, `${ROOT}/site`]);
    // Anything else still says the runtime is missing.
    const other = await sb.exec.run('npx create-vite app', { cwd: ROOT });
    expect(other.exitCode).toBe(127);
    expect(other.output).toContain('npm needs the WebContainer sandbox');
  });

  it('says when the folder has no index.html yet, and refuses what is not a folder of the workspace', async () => {
    const { sb, asked } = setup();
    expect((await sb.exec.run('serve empty', { cwd: ROOT })).output).toContain('There is no index.html in /home/workspace/empty yet');
    const missing = await sb.exec.run('serve nowhere', { cwd: ROOT });
    expect(missing.exitCode).toBe(1);
    expect(missing.output).toContain('serve: nowhere: no such directory');
    const outside = await sb.exec.run('serve /tmp', { cwd: ROOT });
    expect(outside.exitCode).toBe(1);
    expect(outside.output).toContain('outside the workspace');
    expect(asked).toEqual([`${ROOT}/empty`]);
  });
});
