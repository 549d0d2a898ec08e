import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { snapshotToZip, snapshotToZipFile, zipToSnapshot, ZIP_MTIME } from '../../../src/app/zip';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { fromBase64 } from '../../../src/sandbox/snapshot';

async function seeded() {
  const sandbox = createEmbeddedSandbox({
    files: { 'README.md': '# héllo ✓\n', 'src/main.ts': 'export {};\n', 'node_modules/dep/index.js': 'x', 'dist/out.js': 'y' },
  });
  await sandbox.fs.writeFile('img/pixel.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 255]));
  await sandbox.fs.mkdir('empty/inner');
  await sandbox.fs.writeFile('__proto__', 'a file with an awkward name');
  return sandbox;
}

describe('workspace zip', () => {
  it('round-trips a snapshot: text, binary and empty directories; rebuildable folders left out', async () => {
    const snapshot = await (await seeded()).snapshot();
    const bytes = snapshotToZip(snapshot);
    // unzipSync keys entries in a plain object, where "__proto__" cannot appear (see zip.ts).
    const entries = unzipSync(bytes);
    expect(Object.keys(entries).sort()).toEqual(['README.md', 'empty/inner/', 'img/pixel.png', 'src/main.ts']);
    expect([...(entries['img/pixel.png'] ?? [])]).toEqual([...fromBase64(snapshot.binary['img/pixel.png'] ?? '')]);
    expect(new TextDecoder().decode(entries['README.md'])).toBe('# héllo ✓\n');

    const back = zipToSnapshot(bytes);
    expect(back.files['__proto__']).toBe('a file with an awkward name');
    expect({ ...back.files }).toEqual({ ...snapshot.files });
    expect({ ...back.binary }).toEqual({ ...snapshot.binary });
    expect(back.dirs).toEqual([...snapshot.dirs].sort());
  });

  it('restores into a fresh sandbox from the zip', async () => {
    const bytes = snapshotToZip(await (await seeded()).snapshot());
    const fresh = createEmbeddedSandbox();
    await fresh.restore(zipToSnapshot(bytes));
    expect(await fresh.fs.readFile('src/main.ts')).toBe('export {};\n');
    expect((await fresh.fs.readFileBytes('img/pixel.png')).length).toBe(11);
    expect((await fresh.fs.stat('empty/inner'))?.isDirectory).toBe(true);
  });

  it('is reproducible: fixed modification times, sorted entries', async () => {
    const snapshot = await (await seeded()).snapshot();
    const a = snapshotToZip(snapshot);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reordered = { ...snapshot, files: Object.fromEntries(Object.entries(snapshot.files).reverse()) };
    expect(snapshotToZip(reordered)).toEqual(a);
    const file = snapshotToZipFile(snapshot);
    expect(file.name).toBe('workspace.zip');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(a);
    expect(ZIP_MTIME.getFullYear()).toBeGreaterThanOrEqual(1980);
  });
});
