/**
 * `npm run share-server -- [--port N] [--data DIR]`: the share service on 127.0.0.1.
 *
 * With no configuration it keeps its data with PGlite in DIR (default: a folder under the
 * user's data directory); with DATABASE_URL it uses that PostgreSQL primary, and the read
 * replicas in DATABASE_REPLICA_URLS (comma-separated). SHARE_ORIGINS limits which app origins
 * may call it from a browser (comma-separated; default any), SHARE_HOST the address it listens on.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { openPglite, openPool, type Db } from './db';
import { ShareStore } from './shares';

export interface ServerArgs {
  port: number;
  data: string;
  host: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'unroll', 'share-server');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'unroll', 'share-server');
  if (platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'unroll', 'share-server');
  return join(homedir(), '.local', 'share', 'unroll', 'share-server');
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerArgs {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const port = Number(value('--port') ?? env.PORT ?? 8788);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number (0–65535), not ${value('--port')}`);
  return { port, data: value('--data') ?? defaultDataDir(env), host: env.SHARE_HOST ?? '127.0.0.1' };
}

async function openDatabases(args: ServerArgs, env: NodeJS.ProcessEnv): Promise<{ primary: Db; replicas: Db[] }> {
  if (!env.DATABASE_URL) return { primary: await openPglite(args.data), replicas: [] };
  const replicas = (env.DATABASE_REPLICA_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  return { primary: await openPool(env.DATABASE_URL), replicas: await Promise.all(replicas.map((url) => openPool(url))) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { primary, replicas } = await openDatabases(args, process.env);
  const store = new ShareStore({ primary, replicas });
  await store.init();
  const app = createApp(store, {
    origins: (process.env.SHARE_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  });
  const server = serve({ fetch: app.fetch, port: args.port, hostname: args.host }, (info) => {
    const where = process.env.DATABASE_URL
      ? `PostgreSQL ${primary.name}${replicas.length ? ` + ${replicas.length} replica(s)` : ''}`
      : `PGlite in ${args.data}`;
    console.log(`Share service on http://${args.host}:${info.port} (data: ${where})`);
  });
  // Expired shares go in small batches, so no delete holds locks for long.
  const collect = setInterval(() => void store.collect(100).catch(() => undefined), 60_000);
  // Replicas that lag or fail are left out of reads until they are well again.
  const health = replicas.length ? setInterval(() => void store.checkReplicas().catch(() => undefined), 2_000) : undefined;
  const stop = () => {
    clearInterval(collect);
    clearInterval(health);
    server.close();
    void store.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(`share-server: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
