/**
 * The host's timers, taken when this module loads, before any sandbox script runs: just-bash
 * blocks `setTimeout` while its scripts execute, and file-change listeners run inside them.
 */
export const hostSetTimeout = globalThis.setTimeout.bind(globalThis);
export const hostClearTimeout = globalThis.clearTimeout.bind(globalThis);
