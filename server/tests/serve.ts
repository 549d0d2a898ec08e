/**
 * The share service for tests and benchmarks: a ShareStore on the given database (default: a
 * fresh in-memory PGlite) behind the real HTTP server on a free port of 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, type AppOptions } from '../src/app';
import { openPglite, type Db } from '../src/db';
import { ShareStore, type ShareStoreOptions } from '../src/shares';

export interface RunningService {
  url: string;
  store: ShareStore;
  /** The primary database (the one made here, or the one given). */
  db: Db;
  /** Stops the server, and closes the database when it was made here. */
  close(): Promise<void>;
}

export async function startShareService(
  options: AppOptions & Partial<Omit<ShareStoreOptions, 'primary'>> & { db?: Db } = {},
): Promise<RunningService> {
  const own = options.db === undefined;
  const db = options.db ?? (await openPglite('memory://'));
  const { replicas, replicaBackoffMs, cacheBytes, maxLagBytes, now } = options;
  const store = new ShareStore({
    primary: db,
    ...(replicas ? { replicas } : {}),
    ...(replicaBackoffMs !== undefined ? { replicaBackoffMs } : {}),
    ...(cacheBytes !== undefined ? { cacheBytes } : {}),
    ...(maxLagBytes !== undefined ? { maxLagBytes } : {}),
    ...(now ? { now } : {}),
  });
  await store.init();
  const app = createApp(store, options);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    db,
    close: async () => {
      server.close();
      if (own) await db.close();
    },
  };
}
