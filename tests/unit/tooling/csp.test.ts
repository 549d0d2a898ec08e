import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, headersFor, PREVIEW_FRAME, PREVIEW_FRAME_CSP } from '../../../vite.config';

describe('Content-Security-Policy', () => {
  it('static hosting (public/_headers) sends the same policy as the dev and preview servers', () => {
    const headers = readFileSync(new URL('../../../public/_headers', import.meta.url), 'utf8');
    const line = headers.split('\n').find((l) => l.trim().startsWith('Content-Security-Policy:'));
    expect(line?.trim().slice('Content-Security-Policy:'.length).trim()).toBe(CONTENT_SECURITY_POLICY);
  });

  it("runs no inline or eval'd script, only WebAssembly", () => {
    const script = CONTENT_SECURITY_POLICY.split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src'));
    expect(script).toBe("script-src 'self' 'wasm-unsafe-eval'");
  });
});

describe('the preview frame of the workspace site', () => {
  const rules = () => {
    const text = readFileSync(new URL('../../../public/_headers', import.meta.url), 'utf8');
    const out: { path: string; headers: string[] }[] = [];
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      if (!line.startsWith(' ')) out.push({ path: line.trim(), headers: [] });
      else out.at(-1)?.headers.push(line.trim());
    }
    return out;
  };
  const matches = (pattern: string, path: string) => pattern === path || (pattern.endsWith('*') && path.startsWith(pattern.slice(0, -1)));

  it("gets its own policy on static hosting, the same the dev and preview servers send, and never the app's as well", () => {
    const applying = rules()
      .filter((r) => matches(r.path, PREVIEW_FRAME))
      .flatMap((r) => r.headers);
    expect(applying.filter((h) => h.startsWith('Content-Security-Policy:'))).toEqual([`Content-Security-Policy: ${PREVIEW_FRAME_CSP}`]);
    expect(applying).toContain('Cross-Origin-Embedder-Policy: credentialless');
    expect(headersFor(PREVIEW_FRAME)['Content-Security-Policy']).toBe(PREVIEW_FRAME_CSP);
  });

  it('lets the page run its own scripts but gives it nothing of the app: no same-origin fetches, no forms', () => {
    expect(PREVIEW_FRAME_CSP).toContain("script-src 'unsafe-inline' 'unsafe-eval' blob:");
    const directive = (name: string) =>
      PREVIEW_FRAME_CSP.split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `)) ?? '';
    for (const name of ['default-src', 'script-src', 'connect-src', 'img-src', 'frame-src']) expect(directive(name)).not.toContain("'self'");
    expect(PREVIEW_FRAME_CSP).toContain("form-action 'none'");
  });

  it("leaves the app's documents with the app's policy", () => {
    for (const path of ['/', '/index.html', '/webcontainer-connect.html']) {
      const applying = rules()
        .filter((r) => matches(r.path, path))
        .flatMap((r) => r.headers);
      expect(applying.filter((h) => h.startsWith('Content-Security-Policy:'))).toEqual([`Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`]);
    }
  });
});
