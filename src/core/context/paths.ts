/**
 * Moved to `core/paths.ts`, the one home of sandbox path helpers (context and tools both use
 * them). Kept so importers outside `core` keep working until they import from there.
 */
export * from '../paths';
