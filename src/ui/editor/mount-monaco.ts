import { loadMonaco } from './load';

type Monaco = Awaited<ReturnType<typeof loadMonaco>>;

/**
 * One Monaco widget for the life of an `$effect`, which returns what this returns: once Monaco
 * has loaded, `create` makes the widget and `ready` gets it; at teardown it is disposed and
 * `ready` gets null. A load that fails calls `failed` with its message. Nothing is created
 * after the teardown, and `create` runs outside the effect, so what it reads is not tracked.
 */
export function mountMonaco<Host extends { dispose(): void }>(
  create: (monaco: Monaco) => Host,
  ready: (host: Host | null) => void,
  failed: (message: string) => void,
): () => void {
  let created: Host | null = null;
  let cancelled = false;
  loadMonaco().then(
    (monaco) => {
      if (cancelled) return;
      created = create(monaco);
      ready(created);
    },
    (err: unknown) => {
      if (!cancelled) failed(err instanceof Error ? err.message : String(err));
    },
  );
  return () => {
    cancelled = true;
    created?.dispose();
    ready(null);
  };
}
