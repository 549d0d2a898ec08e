/**
 * Embedded sandbox benchmarks: a trivial command, 1 000 small files written and read back,
 * and a snapshot export → restore round trip of a 1 000-file workspace.
 */
import { createEmbeddedSandbox } from '../src/sandbox/embedded';
import { measure, median } from './stats';

export interface SandboxBench {
  trivialExecMs: number;
  write1000Ms: number;
  read1000Ms: number;
  snapshotFiles: number;
  snapshotBytes: number;
  snapshotExportMs: number;
  snapshotRestoreMs: number;
  snapshotRoundTripMs: number;
}

const FILES = 1_000;

function fileContent(i: number): string {
  return `export const value${i} = ${i};\n// file ${i} of a benchmark workspace\n`;
}

export async function sandboxBench(): Promise<SandboxBench> {
  const sandbox = createEmbeddedSandbox();
  await sandbox.boot();

  const exec = await measure(
    async () => {
      const result = await sandbox.exec.run('true');
      if (result.exitCode !== 0) throw new Error('`true` failed');
    },
    200,
    20,
  );

  const write = await measure(
    async () => {
      for (let i = 0; i < FILES; i++) await sandbox.fs.writeFile(`src/m${i % 20}/f${i}.ts`, fileContent(i));
    },
    7,
    2,
  );
  const read = await measure(
    async () => {
      for (let i = 0; i < FILES; i++) {
        const text = await sandbox.fs.readFile(`src/m${i % 20}/f${i}.ts`);
        if (text.length === 0) throw new Error('empty read');
      }
    },
    7,
    2,
  );

  let bytes = 0;
  let files = 0;
  const exportTimes = await measure(
    async () => {
      const snap = await sandbox.snapshot();
      bytes = JSON.stringify(snap).length;
      files = Object.keys(snap.files).length + Object.keys(snap.binary).length;
    },
    7,
    2,
  );
  const snap = await sandbox.snapshot();
  const restoreTimes = await measure(
    async () => {
      await sandbox.restore(snap);
    },
    7,
    2,
  );
  const roundTrip = await measure(
    async () => {
      await sandbox.restore(await sandbox.snapshot());
    },
    7,
    2,
  );
  await sandbox.dispose();

  return {
    trivialExecMs: median(exec),
    write1000Ms: median(write),
    read1000Ms: median(read),
    snapshotFiles: files,
    snapshotBytes: bytes,
    snapshotExportMs: median(exportTimes),
    snapshotRestoreMs: median(restoreTimes),
    snapshotRoundTripMs: median(roundTrip),
  };
}
