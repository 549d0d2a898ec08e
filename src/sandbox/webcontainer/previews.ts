/**
 * Listening servers, from the runtime's `port` events (a port opened or closed, with its
 * preview URL) and `server-ready` events (a server answers requests). Listeners hear about
 * a port only when what we know about it changed.
 */
import type { PreviewPort } from '../sandbox';
import type { WcInstance } from './types';

export class PreviewTracker {
  private readonly ports = new Map<number, PreviewPort>();
  private readonly listeners = new Set<(port: PreviewPort) => void>();

  /** Follows `wc`'s events; returns the function that stops following them. */
  attach(wc: WcInstance): () => void {
    const offPort = wc.on('port', (port, type, url) => this.update(port, url, type === 'open'));
    const offReady = wc.on('server-ready', (port, url) => this.update(port, url, true));
    return () => {
      offPort();
      offReady();
    };
  }

  list(): PreviewPort[] {
    return [...this.ports.values()].sort((a, b) => a.port - b.port).map((p) => ({ ...p }));
  }

  subscribe(listener: (port: PreviewPort) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update(port: number, url: string, open: boolean): void {
    const known = this.ports.get(port);
    // A close event may come without a URL; keep the one we had.
    const next: PreviewPort = { port, url: url || known?.url || '', open };
    if (known && known.url === next.url && known.open === next.open) return;
    this.ports.set(port, next);
    for (const listener of [...this.listeners]) listener({ ...next });
  }
}
