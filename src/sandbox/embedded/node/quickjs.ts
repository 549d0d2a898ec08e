/**
 * QuickJS for the embedded `node`: one WebAssembly engine, loaded on the first run.
 *
 * Variant: release sync (@jitl/quickjs-wasmfile-release-sync: a separate ~0.5 MB .wasm that
 * Vite emits as an asset and the browser fetches on first use), with quickjs-emscripten-core.
 * Not the `quickjs-emscripten` umbrella package: it imports all four variants, and Vite then
 * emits all four .wasm files (4.2 MB) into the build even though one is used.
 *
 * The asyncify build was the obvious fit — its host functions may be async, as the sandbox
 * filesystem is — and was tried first. It lost on three counts:
 * - stack: under Node 20's V8 (the tests, the CLI), once the interpreter loop is optimised
 *   its native frames are so large that ~25 nested JavaScript calls overflow the ~1 MB stack
 *   and the engine is left unusable (measured; Chromium 150 was fine);
 * - size: ~1.0 MB of wasm instead of ~0.5 MB;
 * - speed: its README puts it at ~40% of the sync build.
 * So scripts see a synchronous mirror of the filesystem instead (fs-mirror.ts), loaded
 * before the run, with writes applied to it at once and replayed on `ctx.fs` in order.
 *
 * A sync engine never suspends, so runs can share it: each gets its own runtime and context.
 * An engine that threw a host error mid-run (the wasm stack overflowed) is dropped, and so is
 * one whose memory grew large, so the page gets that memory back.
 *
 * Its linear memory is capped (256 MB, not Emscripten's 2 GB): QuickJS's heap limit does not
 * count ArrayBuffer contents, and without the cap `for (;;) a.push(new Uint8Array(1 << 18))`
 * grows the page by 2 GB before it fails.
 */
import RELEASE_SYNC from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';

const PAGE = 64 * 1024;
const INITIAL_MEMORY_BYTES = 16 * 1024 * 1024;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
/** Past this the engine is not reused after a run. */
const KEEP_MEMORY_BYTES = 96 * 1024 * 1024;

let loading: Promise<QuickJSWASMModule> | undefined;
let loaded: QuickJSWASMModule | undefined;

export function loadEngine(): Promise<QuickJSWASMModule> {
  const wasmMemory = async () => new WebAssembly.Memory({ initial: INITIAL_MEMORY_BYTES / PAGE, maximum: MAX_MEMORY_BYTES / PAGE });
  loading ??= newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory })).then(
    (engine) => (loaded = engine),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** Forgets `engine` if it is the shared one, so the next run loads a fresh engine. */
export function discardEngine(engine: QuickJSWASMModule): void {
  if (loaded !== engine) return;
  loaded = undefined;
  loading = undefined;
}

/** After a run: drops the engine when its memory grew past what is worth keeping. */
export function releaseEngine(engine: QuickJSWASMModule): void {
  if (engine.getWasmMemory().buffer.byteLength > KEEP_MEMORY_BYTES) discardEngine(engine);
}
