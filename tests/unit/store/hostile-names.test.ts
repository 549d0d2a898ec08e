/**
 * File names that hold control characters (a newline, an escape) or bidirectional overrides and
 * isolates would list as something else ("invoice\u202Etxt.exe" shows as "invoiceexe.txt"): an
 * import or a share link naming one is refused, and the message names the character escaped.
 */
import { describe, expect, it } from 'vitest';
import { emptySnapshot, hostileNameProblem, validateSnapshot } from '../../../src/sandbox/snapshot';
import { checkDocument, type SessionDocument } from '../../../src/store/export';
import { isWorkspacePath } from '../../../src/store/manifests';
import { decodeShare, shareUrl } from '../../../src/store/share';
import { plainWorkspace, v1Document, v2Document } from '../../support/session-documents';

const HOSTILE: Array<[string, string]> = [
  ['a line feed', 'notes\n.md'],
  ['a carriage return', 'notes\r.md'],
  ['a tab', 'a\tb.txt'],
  ['an escape', 'src/\u001b[31mred.ts'],
  ['a delete', 'x\u007f.txt'],
  ['a NUL', 'x\u0000.txt'],
  ['a right-to-left override', 'invoice\u202Etxt.exe'],
  ['a left-to-right embedding', 'a\u202Ab'],
  ['a pop directional formatting', 'a\u202Cb'],
  ['a right-to-left isolate', 'dir\u2067/file'],
  ['a pop directional isolate', 'a\u2069b'],
  ['a control character', 'bell\u0007.txt'],
];

/** A version 1 document whose snapshot holds `path`. */
function v1(path: string): Record<string, unknown> {
  return v1Document({ snapshot: { ...emptySnapshot(), files: { [path]: 'x' } } });
}

/** A version 2 document whose manifest names `path` (a file, or an empty directory). */
function v2(path: string, as: 'file' | 'dir' = 'file'): SessionDocument {
  const snapshot = as === 'file' ? { ...emptySnapshot(), files: { [path]: 'x' } } : { ...emptySnapshot(), dirs: [path] };
  return v2Document({ workspace: plainWorkspace(snapshot) }) as unknown as SessionDocument;
}

function problems(input: unknown): string {
  const checked = checkDocument(input);
  return checked.ok ? '' : checked.problems.join('\n');
}

describe('file names with control or bidirectional characters', () => {
  for (const [name, path] of HOSTILE) {
    const code = `U+${path
      .match(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/)![0]
      .codePointAt(0)!
      .toString(16)
      .toUpperCase()
      .padStart(4, '0')}`;

    it(`refuses ${name} (${code}) in a snapshot, naming the character`, () => {
      expect(() => validateSnapshot({ ...emptySnapshot(), files: { [path]: 'x' } })).toThrow(`holds ${code} (${name})`);
      expect(() => validateSnapshot({ ...emptySnapshot(), dirs: [path] })).toThrow(code);
      expect(isWorkspacePath(path)).toBe(false);
    });

    it(`refuses ${name} (${code}) in an imported document, version 1 and 2`, () => {
      expect(problems(v1(path))).toContain(`holds ${code} (${name})`);
      expect(problems(v2(path))).toContain(`holds ${code} (${name})`);
      expect(problems(v2(path, 'dir'))).toContain(code);
    });

    it(`refuses ${name} (${code}) in a share link`, () => {
      const link = shareUrl('https://unroll.example/', v2(path));
      const decoded = decodeShare(link.url);
      expect(decoded.ok).toBe(false);
      expect(decoded.ok ? '' : decoded.problems.join('\n')).toContain(`holds ${code} (${name})`);
    });
  }

  it('shows the name with the character escaped, so the message itself is safe to display', () => {
    const message = hostileNameProblem('invoice\u202Etxt.exe')!;
    expect(message).toContain('"invoice\\u{202E}txt.exe"');
    expect(message).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
  });

  it('still accepts ordinary names, spaces and non-Latin scripts included', () => {
    for (const path of ['README.md', 'my notes/día 1.md', 'src/日本語.ts', 'عربي/ملف.txt', 'emoji 🎉.txt']) {
      expect(hostileNameProblem(path)).toBeUndefined();
      expect(isWorkspacePath(path)).toBe(true);
      expect(problems(v2(path))).toBe('');
      expect(decodeShare(shareUrl('https://unroll.example/', v2(path)).url).ok).toBe(true);
    }
  });
});
