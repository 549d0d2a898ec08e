/**
 * `/webcontainer/connect/<id>` (where a preview opened in a new tab connects back) is the
 * connect page, served without COOP so it keeps its opener, by the dev server, `vite preview`
 * and static hosts (public/_headers, public/_redirects) alike; every other page stays
 * cross-origin isolated.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONNECT_PAGE, CONTENT_SECURITY_POLICY, headersFor, isConnectPath } from '../../../vite.config';

const COOP = 'Cross-Origin-Opener-Policy';
const COEP = 'Cross-Origin-Embedder-Policy';

function publicFile(name: string): string {
  return readFileSync(new URL(`../../../public/${name}`, import.meta.url), 'utf8');
}

/** A path pattern of _headers/_redirects (`*` matches anything, `/` only itself) as a RegExp. */
function pattern(path: string): RegExp {
  return new RegExp(
    `^${path
      .split('*')
      .map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/**
 * The headers a static host sends for `pathname` under public/_headers, as Netlify and
 * Cloudflare Pages apply it: every matching rule, a header named twice joined with ', '.
 */
function staticHeaders(pathname: string): Record<string, string> {
  const out: Record<string, string> = {};
  let applies = false;
  for (const line of publicFile('_headers').split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      applies = pattern(line.trim()).test(pathname);
      continue;
    }
    if (!applies) continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    out[name] = out[name] ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/** Where a static host serves `pathname` from under public/_redirects (a 200 rule rewrites). */
function staticRewrite(pathname: string): string {
  for (const line of publicFile('_redirects').split('\n')) {
    const [from, to, status] = line.trim().split(/\s+/);
    if (!from || from.startsWith('#') || !to) continue;
    if (pattern(from).test(pathname)) return status === '200' ? to : pathname;
  }
  return pathname;
}

describe('the connect page', () => {
  it('answers /webcontainer/connect/<id> and the page itself, not the app paths', () => {
    expect(isConnectPath('/webcontainer/connect/abc')).toBe(true);
    expect(isConnectPath('/webcontainer/connect/4c73681d/')).toBe(true);
    expect(isConnectPath(CONNECT_PAGE)).toBe(true);
    expect(isConnectPath('/')).toBe(false);
    expect(isConnectPath('/index.html')).toBe(false);
    expect(isConnectPath('/webcontainer/connect/')).toBe(false);
  });

  it('is served by the dev server and vite preview without COOP or COEP, with the CSP', () => {
    for (const path of ['/webcontainer/connect/abc', CONNECT_PAGE]) {
      const headers = headersFor(path);
      expect(headers[COOP]).toBeUndefined();
      expect(headers[COEP]).toBeUndefined();
      expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    expect(headersFor('/')).toMatchObject({ [COOP]: 'same-origin', [COEP]: 'require-corp' });
    expect(headersFor('/assets/index-abc.js')).toMatchObject({ [COOP]: 'same-origin', [COEP]: 'require-corp' });
  });

  it('is where static hosts send /webcontainer/connect/<id> (a rewrite to the page)', () => {
    expect(staticRewrite('/webcontainer/connect/abc')).toBe(CONNECT_PAGE);
    expect(staticRewrite('/')).toBe('/');
  });

  it('gets no COOP or COEP from public/_headers, while the app stays isolated', () => {
    for (const path of ['/webcontainer/connect/abc', CONNECT_PAGE]) {
      const headers = staticHeaders(path);
      expect(headers[COOP]).toBeUndefined();
      expect(headers[COEP]).toBeUndefined();
      expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    for (const path of ['/', '/index.html']) {
      expect(staticHeaders(path)).toMatchObject({
        [COOP]: 'same-origin',
        [COEP]: 'require-corp',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      });
    }
    // The app's scripts (its workers among them) keep COEP, named once.
    expect(staticHeaders('/assets/editor.worker-abc.js')[COEP]).toBe('require-corp');
  });
});
