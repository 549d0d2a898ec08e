/**
 * How Monaco's TypeScript service reads the workspace's TypeScript and JavaScript. Kept apart
 * from monaco.ts (which needs a DOM) so the options can be tested against Monaco's own
 * TypeScript worker in Node.
 */
import type { CompilerOptions, DiagnosticsOptions } from 'monaco-editor/languages/features/typescript/register';

// Values of TypeScript's enums (monaco.d.ts declares them, but importing them would load Monaco).
const SCRIPT_TARGET_ESNEXT = 99;
const MODULE_ESNEXT = 99;
const MODULE_RESOLUTION_NODE = 2;
const JSX_PRESERVE = 1;
/** `moduleDetection: "force"`: every file is a module, whether or not it imports or exports. */
const MODULE_DETECTION_FORCE = 3;

/**
 * Every file is its own module, as in Node and in bundlers: read as a classic browser script,
 * a top-level `const name = …` would be the browser's global `name` (the deprecated
 * `window.name`) and be struck through. The DOM's types stay, since Node has most of the same
 * globals (console, fetch, URL, timers).
 */
export const WORKSPACE_COMPILER_OPTIONS: CompilerOptions = {
  target: SCRIPT_TARGET_ESNEXT,
  module: MODULE_ESNEXT,
  moduleResolution: MODULE_RESOLUTION_NODE,
  moduleDetection: MODULE_DETECTION_FORCE,
  jsx: JSX_PRESERVE,
  allowJs: true,
  allowNonTsExtensions: true,
};

/**
 * The workspace's dependencies are not visible to the TypeScript worker, so its semantic
 * errors ("cannot find module") would be noise; syntax errors are still shown.
 */
export const WORKSPACE_DIAGNOSTICS: DiagnosticsOptions = { noSemanticValidation: true, noSyntaxValidation: false };
