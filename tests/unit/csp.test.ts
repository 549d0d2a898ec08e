import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';

describe('Content-Security-Policy', () => {
  it('static hosting (public/_headers) sends the same policy as the dev and preview servers', () => {
    const headers = readFileSync(new URL('../../public/_headers', import.meta.url), 'utf8');
    const line = headers.split('\n').find((l) => l.trim().startsWith('Content-Security-Policy:'));
    expect(line?.trim().slice('Content-Security-Policy:'.length).trim()).toBe(CONTENT_SECURITY_POLICY);
  });

  it('runs no inline or eval\'d script, only WebAssembly', () => {
    const script = CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    expect(script).toBe("script-src 'self' 'wasm-unsafe-eval'");
  });
});
