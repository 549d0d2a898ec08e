/**
 * Monaco loads on first use, as its own chunk: the first editor or diff view on screen
 * pays for it, and every later one reuses the same module. A failed load (offline, a
 * stale deployment) is retried by the next caller.
 */
type MonacoModule = typeof import('./monaco');

let loading: Promise<MonacoModule> | null = null;

export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco').catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}
